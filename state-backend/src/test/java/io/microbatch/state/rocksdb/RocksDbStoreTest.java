package io.microbatch.state.rocksdb;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The store's view of a batch: its pending writes over what is stored, the same whether they
 * stayed on the heap, spilled into RocksDB's write batch at once (budget 0) or part way (a budget
 * of a few entries), through commit and abort.
 */
class RocksDbStoreTest {
  @TempDir Path temp;

  private SharedRocksResources shared;
  private RocksDbStore store;

  private void open(long pendingWriteBytes) {
    RocksDbConfig config = RocksDbConfig.defaults().withBlockCacheBytes(8L << 20)
        .withWriteBufferManagerBytes(8L << 20).withPendingWriteBytes(pendingWriteBytes);
    shared = new SharedRocksResources(config);
    store = RocksDbStore.openFresh(temp.resolve("db"), shared, config);
  }

  @AfterEach
  void close() {
    store.close();
    shared.close();
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private List<String> scan(byte[] from, byte[] until) {
    List<String> seen = new ArrayList<>();
    store.scan(Column.STATE, from, until, (key, value) -> {
      seen.add(new String(key, StandardCharsets.UTF_8) + "=" + new String(value,
          StandardCharsets.UTF_8));
      return true;
    });
    return seen;
  }

  private String get(String key) {
    byte[] value = store.get(Column.STATE, b(key));
    return value == null ? null : new String(value, StandardCharsets.UTF_8);
  }

  @ParameterizedTest
  @ValueSource(longs = {32L << 20, 0, 300})
  void pendingWritesOverrideStoredEntriesInReadsAndScans(long budget) {
    open(budget);
    for (String key : List.of("a", "c", "e", "g")) {
      store.put(Column.STATE, b(key), b(key + "1"));
    }
    store.commit();

    store.put(Column.STATE, b("b"), b("b2"));
    store.delete(Column.STATE, b("c"));
    store.put(Column.STATE, b("e"), b("e2"));
    store.put(Column.STATE, b("h"), b("h2"));
    store.delete(Column.STATE, b("h"));
    store.put(Column.STATE, b("i"), b("i2"));

    assertThat(get("a"), equalTo("a1"));
    assertThat(get("b"), equalTo("b2"));
    assertThat(get("c"), nullValue());
    assertThat(get("e"), equalTo("e2"));
    assertThat(get("h"), nullValue());
    assertThat(scan(null, null), contains("a=a1", "b=b2", "e=e2", "g=g1", "i=i2"));
    assertThat("from inclusive, until exclusive",
        scan(b("b"), b("g")), contains("b=b2", "e=e2"));
    assertThat(scan(b("c"), b("e")), empty());
    assertThat("a range ending before it starts is empty", scan(b("g"), b("b")), empty());
    assertThat(store.firstKey(Column.STATE, b("c"), null), equalTo(b("e")));
    assertThat(store.hasAny(Column.STATE, b("h"), b("i")), is(false));
    assertThat(store.hasPrefix(Column.STATE, b("i")), is(true));
  }

  @ParameterizedTest
  @ValueSource(longs = {32L << 20, 0, 300})
  void commitMakesPendingWritesStoredAndAbortDropsThem(long budget) {
    open(budget);
    store.put(Column.STATE, b("a"), b("a1"));
    store.put(Column.STATE, b("b"), b("b1"));
    store.commit();
    assertThat(store.pendingWrites(), is(0));

    for (int i = 0; i < 20; i++) {
      store.put(Column.STATE, b("x" + i), b("v" + i));
    }
    store.delete(Column.STATE, b("a"));
    store.abort();
    assertThat(store.pendingWrites(), is(0));
    assertThat(scan(null, null), contains("a=a1", "b=b1"));

    store.delete(Column.STATE, b("a"));
    store.put(Column.STATE, b("b"), b("b3"));
    store.put(Column.STATE, b("c"), b("c3"));
    store.commit();
    assertThat(scan(null, null), contains("b=b3", "c=c3"));
    assertThat(get("a"), nullValue());
  }

  @ParameterizedTest
  @ValueSource(longs = {32L << 20, 0, 300})
  void aScanStopsWhereItsVisitorSays(long budget) {
    open(budget);
    store.put(Column.STATE, b("a"), b("1"));
    store.put(Column.STATE, b("c"), b("1"));
    store.commit();
    store.put(Column.STATE, b("b"), b("2"));
    store.put(Column.STATE, b("d"), b("2"));

    List<String> seen = new ArrayList<>();
    store.scan(Column.STATE, null, null, (key, value) -> {
      seen.add(new String(key, StandardCharsets.UTF_8));
      return seen.size() < 3;
    });
    assertThat(seen, contains("a", "b", "c"));
  }

  @ParameterizedTest
  @ValueSource(longs = {32L << 20, 0})
  void snapshotsRefuseUncommittedWritesWhereverTheyAre(long budget) {
    open(budget);
    store.put(Column.STATE, b("a"), b("1"));
    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalStateException.class, () -> store.checkpoint(temp.resolve("snap")));
    store.commit();
    store.checkpoint(temp.resolve("snap"));
  }
}
