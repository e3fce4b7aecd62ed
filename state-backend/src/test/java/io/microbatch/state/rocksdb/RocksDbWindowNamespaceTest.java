package io.microbatch.state.rocksdb;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;

import io.microbatch.state.ByteKey;
import io.microbatch.state.KeyedTimer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.runners.core.StateInternals;
import org.apache.beam.runners.core.StateNamespace;
import org.apache.beam.runners.core.StateNamespaces;
import org.apache.beam.runners.core.StateTag;
import org.apache.beam.runners.core.StateTags;
import org.apache.beam.runners.core.TimerInternals.TimerData;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.joda.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * State cells and timers in window namespaces, addressed through a new namespace object per access
 * as runners-core does: equal windows reach the same cell and timer, different windows never
 * collide (also while the namespace cache, bounded to two here, evicts), and the keys on disk are
 * those that versions keying by {@code stringKey()} wrote.
 */
class RocksDbWindowNamespaceTest {
  private static final int CACHED_NAMESPACES = 2;
  private static final StateTag<ValueState<String>> VALUE =
      StateTags.value("value", StringUtf8Coder.of());
  private static final ByteKey KEY = ByteKey.of(new byte[] {7});

  @TempDir Path temp;

  private SharedRocksResources shared;
  private RocksDbStore store;
  private NamespaceKeys namespaceKeys;
  private RocksDbTimerStore timers;

  @BeforeEach
  void open() {
    RocksDbConfig config = RocksDbConfig.defaults().withBlockCacheBytes(8L << 20)
        .withWriteBufferManagerBytes(8L << 20);
    shared = new SharedRocksResources(config);
    store = RocksDbStore.openFresh(temp.resolve("db"), shared, config);
    namespaceKeys = new NamespaceKeys(CACHED_NAMESPACES);
    timers = new RocksDbTimerStore(store, namespaceKeys, 100);
  }

  @AfterEach
  void close() {
    store.close();
    shared.close();
  }

  private StateInternals state() {
    return new RocksDbStateInternals(store, new SequenceCounter(0), new IndexHead(null),
        namespaceKeys, KEY.bytes(), "key");
  }

  /** A new namespace object each call, equal for equal {@code start}. */
  private static StateNamespace window(long start) {
    return StateNamespaces.window(IntervalWindow.getCoder(),
        new IntervalWindow(new Instant(start), new Instant(start + 60_000)));
  }

  private static TimerData timer(StateNamespace namespace, long at) {
    return TimerData.of("t", "", namespace, new Instant(at), new Instant(at),
        TimeDomain.EVENT_TIME);
  }

  private void commit() {
    store.commit();
    timers.commit();
  }

  @Test
  void equalWindowsFromDifferentObjectsReachTheSameCell() {
    state().state(window(0), VALUE).write("first");
    assertThat(state().state(window(0), VALUE).read(), equalTo("first"));
    commit();
    state().state(window(0), VALUE).write("second");
    assertThat(state().state(window(0), VALUE).read(), equalTo("second"));
  }

  @Test
  void differentWindowsNeverShareACellEvenWhileTheCacheEvicts() {
    int windows = 10 * CACHED_NAMESPACES;
    for (int round = 0; round < 2; round++) {
      for (int w = 0; w < windows; w++) {
        state().state(window(w * 6_000L), VALUE).write("window " + w + " round " + round);
      }
      state().state(StateNamespaces.global(), VALUE).write("global " + round);
      commit();
      for (int w = windows - 1; w >= 0; w--) {
        assertThat(state().state(window(w * 6_000L), VALUE).read(),
            equalTo("window " + w + " round " + round));
      }
      assertThat(state().state(StateNamespaces.global(), VALUE).read(),
          equalTo("global " + round));
    }
  }

  @Test
  void aTimerSetThroughOneWindowObjectIsReSetAndDeletedThroughEqualOnes() {
    timers.set(KEY, timer(window(0), 59_999));
    commit();
    timers.set(KEY, timer(window(0), 59_999));
    assertThat("an identical re-set through an equal window writes nothing",
        store.pendingWrites(), is(0));
    timers.delete(KEY, window(0), "t", "");
    commit();
    assertThat(timers.isEmpty(), is(true));
  }

  @Test
  void timersOfDifferentWindowsNeverReplaceEachOther() {
    int windows = 10 * CACHED_NAMESPACES;
    for (int w = 0; w < windows; w++) {
      timers.set(KEY, timer(window(w * 6_000L), 1_000 + w));
    }
    commit();
    List<String> fired = new ArrayList<>();
    KeyedTimer due;
    while ((due = timers.pollDue(TimeDomain.EVENT_TIME, new Instant(Long.MAX_VALUE / 2))) != null) {
      assertThat("the fired timer's namespace decodes to its window",
          due.timer().getNamespace(), equalTo(window((due.timer().getTimestamp().getMillis()
              - 1_000) * 6_000L)));
      fired.add(String.valueOf(due.timer().getTimestamp().getMillis()));
    }
    assertThat(fired.size(), equalTo(windows));
    assertThat(fired.get(0), equalTo("1000"));
    assertThat(fired.get(windows - 1), equalTo(String.valueOf(1_000 + windows - 1)));
  }

  @Test
  void cellAndTimerKeysAreThoseBuiltFromStringKeyAsBeforeTheCache() {
    state().state(window(0), VALUE).write("v");
    timers.set(KEY, timer(window(0), 59_999));
    commit();

    // The layout of versions that keyed by stringKey(), built by hand: length-prefixed key,
    // namespace ("/" + Base64 of the window's coder bytes + "/", as runners-core 2.73.0 writes it),
    // state id ("u" for a user tag) or timer id and family.
    byte[] namespace = "/gAAAAAAA6mDg1AM/".getBytes(StandardCharsets.UTF_8);
    byte[] keyPart = {1, 7};
    byte[] cell = KeyLayout.concat(keyPart, new byte[] {(byte) namespace.length}, namespace,
        new byte[] {6}, "uvalue".getBytes(StandardCharsets.UTF_8));
    byte[] timerId = KeyLayout.concat(keyPart, new byte[] {(byte) namespace.length}, namespace,
        new byte[] {1, 't', 0});
    List<String> cellKeys = new ArrayList<>();
    store.scanPrefix(Column.STATE, cell, (key, value) -> cellKeys.add("found"));
    assertThat("the value's entry is under the old cell prefix", cellKeys, contains("found"));
    assertThat("the timer is under the old identity", store.get(Column.TIMERS, timerId),
        notNullValue());

    // And what an older version wrote under those keys is what this one reads and replaces.
    assertThat(new RocksValueState<>(store, cell, StringUtf8Coder.of()).read(), equalTo("v"));
    timers.set(KEY, timer(window(0), 30_000));
    commit();
    assertThat(store.get(Column.TIMERS, timerId), notNullValue());
    List<String> identities = new ArrayList<>();
    store.scanPrefix(Column.TIMERS, new byte[0],
        (key, value) -> identities.add(new String(key, StandardCharsets.ISO_8859_1)));
    assertThat("replaced, not a second timer", identities,
        containsInAnyOrder(new String(timerId, StandardCharsets.ISO_8859_1)));
  }
}
