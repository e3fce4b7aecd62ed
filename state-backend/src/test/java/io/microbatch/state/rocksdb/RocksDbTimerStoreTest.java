package io.microbatch.state.rocksdb;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import io.microbatch.state.ByteKey;
import io.microbatch.state.KeyedTimer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.runners.core.StateNamespaces;
import org.apache.beam.runners.core.TimerInternals.TimerData;
import org.apache.beam.sdk.state.TimeDomain;
import org.joda.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the RocksDB timer store writes: re-setting a timer to its pending record writes nothing,
 * also once the store remembers fewer timers than the batch touched.
 */
class RocksDbTimerStoreTest {
  /** Small, so that a test touching a few timers overflows it. */
  private static final int REMEMBERED = 2;

  @TempDir Path temp;

  private SharedRocksResources shared;
  private RocksDbStore store;
  private RocksDbTimerStore timers;

  @BeforeEach
  void open() {
    RocksDbConfig config = RocksDbConfig.defaults().withBlockCacheBytes(8L << 20)
        .withWriteBufferManagerBytes(8L << 20);
    shared = new SharedRocksResources(config);
    store = RocksDbStore.openFresh(temp.resolve("db"), shared, config);
    timers = new RocksDbTimerStore(store, REMEMBERED);
  }

  @AfterEach
  void close() {
    store.close();
    shared.close();
  }

  private static ByteKey key(int i) {
    return ByteKey.of(new byte[] {(byte) i});
  }

  private static TimerData timer(long at) {
    return TimerData.of("t", "", StateNamespaces.global(), new Instant(at), new Instant(at),
        TimeDomain.EVENT_TIME);
  }

  private void commit() {
    store.commit();
    timers.commit();
  }

  private List<String> pollAll() {
    List<String> fired = new ArrayList<>();
    KeyedTimer due;
    while ((due = timers.pollDue(TimeDomain.EVENT_TIME, new Instant(Long.MAX_VALUE / 2))) != null) {
      fired.add(due.key().bytes()[0] + "@" + due.timer().getTimestamp().getMillis());
    }
    return fired;
  }

  @Test
  void reSettingATimerToItsPendingRecordWritesNothing() {
    timers.set(key(1), timer(20));
    assertThat("a new timer: its record and two index entries", store.pendingWrites(), is(3));
    timers.set(key(1), timer(20));
    assertThat(store.pendingWrites(), is(3));
    commit();

    timers.set(key(1), timer(20));
    assertThat("identical to the committed record", store.pendingWrites(), is(0));
    timers.set(key(1), timer(30));
    assertThat("replaced: the record rewritten, each index one entry deleted and one added",
        store.pendingWrites(), is(5));
    commit();
    assertThat(pollAll(), contains("1@30"));
  }

  @Test
  void timersBeyondTheRememberedOnesAreStillReplacedAndSkippedCorrectly() {
    for (int i = 0; i < 5; i++) {
      timers.set(key(i), timer(100 + i));
    }
    commit();

    for (int i = 0; i < 5; i++) {
      timers.set(key(i), timer(100 + i));
    }
    assertThat(store.pendingWrites(), is(0));
    for (int i = 0; i < 5; i++) {
      timers.set(key(i), timer(200 - i));
      timers.set(key(i), timer(200 - i));
    }
    for (int i = 0; i < 5; i++) {
      timers.set(key(i), timer(200 - i));
    }
    assertThat(store.pendingWrites(), is(5 * 5));
    timers.delete(key(0), StateNamespaces.global(), "t", "");

    assertThat(pollAll(), contains("4@196", "3@197", "2@198", "1@199"));
    assertThat(timers.isEmpty(), is(true));
    assertThat(timers.nextTimestamp(TimeDomain.EVENT_TIME), equalTo(null));
  }

  private static ByteKey wideKey(int i) {
    return ByteKey.of(java.nio.ByteBuffer.allocate(4).putInt(i).array());
  }

  /**
   * Firing reads the due index ahead, DueReadAhead.ENTRIES at a time; timers set, re-set and
   * deleted meanwhile, below and above what was read, and aborted batches, must not change what
   * fires or its order. Checked against a sorted model over random operations.
   */
  @Test
  void pollingFiresExactlyTheModelsDueTimersInOrderAcrossReadAheads() {
    java.util.Random random = new java.util.Random(7);
    java.util.TreeMap<Long, Long> model = new java.util.TreeMap<>(); // (timestamp << 20 | key) -> ts
    java.util.Map<Integer, Long> pendingOf = new java.util.HashMap<>();
    java.util.TreeMap<Long, Long> committedModel = new java.util.TreeMap<>();
    java.util.Map<Integer, Long> committedPending = new java.util.HashMap<>();
    long watermark = 0;
    int fired = 0;
    for (int step = 0; step < 4000; step++) {
      // Starts with a backlog, so that one poll run crosses several read-aheads.
      int op = step < 1200 ? 0 : random.nextInt(100);
      if (op < 55) {
        int k = random.nextInt(1500);
        // Also behind the watermark and inside what was read ahead: such a timer fires next.
        long at = Math.max(0, watermark - 50 + random.nextInt(600));
        Long old = pendingOf.put(k, at);
        if (old != null) {
          model.remove(old << 20 | k);
        }
        model.put(at << 20 | k, at);
        timers.set(wideKey(k), timer(at));
      } else if (op < 65) {
        int k = random.nextInt(3000);
        Long old = pendingOf.remove(k);
        if (old != null) {
          model.remove(old << 20 | k);
        }
        timers.delete(wideKey(k), StateNamespaces.global(), "t", "");
      } else if (op < 93) {
        watermark += random.nextInt(10) == 0 ? random.nextInt(600) : random.nextInt(40);
        Instant limit = new Instant(watermark);
        for (int polls = random.nextInt(400); polls > 0; polls--) {
          KeyedTimer due = timers.pollDue(TimeDomain.EVENT_TIME, limit);
          Long expected = model.isEmpty() || model.firstEntry().getValue() >= watermark
              ? null : model.firstKey();
          if (expected == null) {
            assertThat(due, equalTo(null));
            break;
          }
          int k = java.nio.ByteBuffer.wrap(due.key().bytes()).getInt();
          assertThat("fire " + fired, due.timer().getTimestamp().getMillis() << 20 | k,
              equalTo(expected));
          model.remove(expected);
          pendingOf.remove(k);
          fired++;
        }
      } else if (op < 98) {
        commit();
        committedModel = new java.util.TreeMap<>(model);
        committedPending = new java.util.HashMap<>(pendingOf);
      } else {
        store.abort();
        timers.abort();
        model = new java.util.TreeMap<>(committedModel);
        pendingOf = new java.util.HashMap<>(committedPending);
      }
    }
    assertThat("the run fired more than one read-ahead", fired > 2 * DueReadAhead.ENTRIES,
        is(true));
  }
}
