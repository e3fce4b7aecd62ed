package io.microbatch.state.rocksdb;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.microbatch.state.ByteKey;
import io.microbatch.state.KeyedTimer;
import io.microbatch.state.PartitionState;
import io.microbatch.state.StateBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.beam.runners.core.StateNamespaces;
import org.apache.beam.runners.core.StateTags;
import org.apache.beam.runners.core.TimerInternals.TimerData;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.state.BagState;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Snapshots of committed RocksDB partition state and restoring partitions from them. */
class RocksDbSnapshotTest {
  private static final ByteKey KEY = ByteKey.of(new byte[] {1, 2});

  @TempDir Path temp;

  private static ValueState<String> value(PartitionState partition) {
    return partition.stateFor(KEY, "k")
        .state(StateNamespaces.global(), StateTags.value("v", StringUtf8Coder.of()));
  }

  private static BagState<Long> bag(PartitionState partition) {
    return partition.stateFor(KEY, "k")
        .state(StateNamespaces.global(), StateTags.bag("b", VarLongCoder.of()));
  }

  private static TimerData timer(long at) {
    return TimerData.of("t", "", StateNamespaces.global(), new Instant(at), new Instant(at),
        TimeDomain.EVENT_TIME);
  }

  @Test
  void restoredPartitionHasTheCommittedStateAndTimersOfTheSnapshot() {
    Path snapshots = temp.resolve("snapshots");
    try (RocksDbStateBackend backend = new RocksDbStateBackend(temp.resolve("run-1"))) {
      PartitionState partition = backend.open("stage-1", 3);
      value(partition).write("committed");
      bag(partition).add(1L);
      bag(partition).add(2L);
      partition.timers().set(KEY, timer(42));
      partition.commit();
      partition.snapshot(snapshots.resolve(StateBackend.partitionPath("stage-1", 3)));
      value(partition).write("after the snapshot");
      bag(partition).add(3L);
      partition.commit();
    }

    try (RocksDbStateBackend backend = new RocksDbStateBackend(temp.resolve("run-2"))) {
      backend.restoreFrom(snapshots);
      PartitionState restored = backend.open("stage-1", 3);
      assertThat(value(restored).read(), equalTo("committed"));
      assertThat(bag(restored).read(), contains(1L, 2L));
      KeyedTimer due = restored.timers().pollDue(TimeDomain.EVENT_TIME, new Instant(43));
      assertThat(due.timer(), equalTo(timer(42)));
      // Bags keep appending after the restored sequence: no element overwrites an old one.
      bag(restored).add(4L);
      restored.commit();
      assertThat(bag(restored).read(), contains(1L, 2L, 4L));

      PartitionState other = backend.open("stage-1", 4);
      assertThat(value(other).read(), nullValue());
      assertThat(other.isEmpty(), is(true));
    }
    assertThat("the snapshot itself is left untouched",
        Files.exists(snapshots.resolve("stage-1/partition-3/CURRENT")), is(true));
  }

  @Test
  void aTimerReSetIdenticallyBeforeTheSnapshotIsRestoredOnceAndStillSkipsIdenticalSets() {
    Path snapshots = temp.resolve("snapshots");
    try (RocksDbStateBackend backend = new RocksDbStateBackend(temp.resolve("run-1"))) {
      PartitionState partition = backend.open("stage-1", 0);
      partition.timers().set(KEY, timer(42));
      partition.commit();
      partition.timers().set(KEY, timer(42));
      partition.commit();
      partition.snapshot(snapshots.resolve(StateBackend.partitionPath("stage-1", 0)));
    }

    try (RocksDbStateBackend backend = new RocksDbStateBackend(temp.resolve("run-2"))) {
      backend.restoreFrom(snapshots);
      PartitionState restored = backend.open("stage-1", 0);
      restored.timers().set(KEY, timer(42));
      restored.commit();
      KeyedTimer due = restored.timers().pollDue(TimeDomain.EVENT_TIME, new Instant(1000));
      assertThat(due.timer(), equalTo(timer(42)));
      assertThat(restored.timers().pollDue(TimeDomain.EVENT_TIME, new Instant(1000)),
          nullValue());
      assertThat(restored.timers().isEmpty(), is(true));
    }
  }

  @Test
  void refusesToSnapshotUncommittedWrites() {
    try (RocksDbStateBackend backend = new RocksDbStateBackend(temp.resolve("state"))) {
      PartitionState partition = backend.open("stage-1", 0);
      value(partition).write("pending");
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> partition.snapshot(temp.resolve("snap")));
      assertThat(e.getMessage(), containsString("uncommitted"));
      assertThat(Files.exists(temp.resolve("snap")), is(false));
    }
  }

  @Test
  void refusesToRestoreOnceAPartitionIsOpen() throws Exception {
    Path snapshots = Files.createDirectories(temp.resolve("snapshots"));
    try (RocksDbStateBackend backend = new RocksDbStateBackend(temp.resolve("state"))) {
      backend.open("stage-1", 0);
      assertThrows(IllegalStateException.class, () -> backend.restoreFrom(snapshots));
    }
  }

  @Test
  void snapshotsOfUnchangedStateShareTheirSstFilesByHardLinks() throws Exception {
    try (RocksDbStateBackend backend = new RocksDbStateBackend(temp.resolve("state"))) {
      PartitionState partition = backend.open("stage-1", 0);
      value(partition).write("x".repeat(1000));
      partition.commit();
      partition.snapshot(temp.resolve("s1"));
      partition.snapshot(temp.resolve("s2"));
      try (var files = Files.list(temp.resolve("s1"))) {
        Path sst = files.filter(f -> f.toString().endsWith(".sst")).findFirst().orElseThrow();
        Path twin = temp.resolve("s2").resolve(sst.getFileName());
        assertThat(Files.isSameFile(sst, twin), is(true));
      }
    }
  }

  /** The options of snapshots written before index column families compacted universally. */
  private static final RocksDbOptionsCustomizer EARLIER_OPTIONS = new RocksDbOptionsCustomizer() {
    @Override
    public void customizeDbOptions(org.rocksdb.DBOptions options) {
      options.setAtomicFlush(false);
    }

    @Override
    public void customizeColumnFamily(String columnFamily, org.rocksdb.ColumnFamilyOptions options,
        org.rocksdb.BlockBasedTableConfig table) {
      options.setCompactionStyle(org.rocksdb.CompactionStyle.LEVEL);
    }
  };

  @Test
  void restoresSnapshotsTakenWithLeveledIndexCompactionAndWithoutAtomicFlush() {
    Path snapshots = temp.resolve("snapshots");
    String partitionPath = StateBackend.partitionPath("stage-1", 0);
    try (RocksDbStateBackend backend = new RocksDbStateBackend(temp.resolve("old"),
        RocksDbConfig.defaults().withCustomizer(EARLIER_OPTIONS))) {
      PartitionState partition = backend.open("stage-1", 0);
      // Several flushes of time-ordered timers: files on more than one level of the index.
      for (int round = 0; round < 12; round++) {
        partition.timers().set(KEY, timer(1000 + round));
        partition.timers().set(ByteKey.of(new byte[] {(byte) round}), timer(2000 + round));
        value(partition).write("round " + round);
        partition.commit();
        partition.snapshot(temp.resolve("warm-" + round));
      }
      partition.snapshot(snapshots.resolve(partitionPath));
    }
    try (RocksDbStateBackend backend = new RocksDbStateBackend(temp.resolve("new"))) {
      backend.restoreFrom(snapshots);
      PartitionState restored = backend.open("stage-1", 0);
      assertThat(value(restored).read(), equalTo("round 11"));
      KeyedTimer due = restored.timers().pollDue(TimeDomain.EVENT_TIME, new Instant(2001));
      assertThat(due.timer(), equalTo(timer(1011)));
      restored.timers().set(KEY, timer(3000));
      restored.commit();
      restored.snapshot(temp.resolve("after-restore"));
    }
  }

  private static final IntervalWindow WINDOW = new IntervalWindow(new Instant(0), new Instant(60));

  private static TimerData windowTimer(String id, long at, TimeDomain domain) {
    return TimerData.of(id, "", StateNamespaces.window(IntervalWindow.getCoder(), WINDOW),
        new Instant(at), new Instant(at), domain);
  }

  /** Snapshots a partition holding timers in a window namespace, set the way any batch sets them. */
  private Path snapshotWithWindowTimers(TimerData... timers) {
    Path snapshots = temp.resolve("snapshots");
    try (RocksDbStateBackend backend = new RocksDbStateBackend(temp.resolve("run-1"))) {
      PartitionState partition = backend.open("stage-1", 0);
      for (TimerData timer : timers) {
        partition.timers().set(KEY, timer);
      }
      partition.commit();
      partition.snapshot(snapshots.resolve(StateBackend.partitionPath("stage-1", 0)));
    }
    return snapshots;
  }

  @Test
  void restoredTimersInAWindowNamespaceFireBeforeAnyTimerIsSetOnceTheCoderIsRegistered() {
    TimerData eventTimer = windowTimer("e", 10, TimeDomain.EVENT_TIME);
    TimerData processingTimer = windowTimer("p", 20, TimeDomain.PROCESSING_TIME);
    Path snapshots = snapshotWithWindowTimers(eventTimer, processingTimer);

    try (RocksDbStateBackend backend = new RocksDbStateBackend(temp.resolve("run-2"))) {
      backend.restoreFrom(snapshots);
      PartitionState restored = backend.open("stage-1", 0);
      restored.timers().registerWindowCoder(IntervalWindow.getCoder());
      KeyedTimer event = restored.timers().pollDue(TimeDomain.EVENT_TIME, new Instant(100));
      KeyedTimer processing =
          restored.timers().pollDue(TimeDomain.PROCESSING_TIME, new Instant(100));
      assertThat(event.timer(), equalTo(eventTimer));
      assertThat(processing.timer(), equalTo(processingTimer));
      assertThat(((StateNamespaces.WindowNamespace<?>) event.timer().getNamespace()).getWindow(),
          equalTo(WINDOW));
    }
  }

  @Test
  void aRestoredWindowTimerWithoutARegisteredCoderFailsNamingTheNamespaceAndTheFix() {
    Path snapshots = snapshotWithWindowTimers(windowTimer("e", 10, TimeDomain.EVENT_TIME));

    try (RocksDbStateBackend backend = new RocksDbStateBackend(temp.resolve("run-2"))) {
      backend.restoreFrom(snapshots);
      PartitionState restored = backend.open("stage-1", 0);
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> restored.timers().pollDue(TimeDomain.EVENT_TIME, new Instant(100)));
      assertThat(e.getMessage(), containsString(
          StateNamespaces.window(IntervalWindow.getCoder(), WINDOW).stringKey()));
      assertThat(e.getMessage(), containsString("registerWindowCoder"));
    }
  }

  @Test
  void registeringTheCoderAgainOrSettingTimersAfterTheRestoreKeepsEveryTimerDecodable() {
    TimerData restoredTimer = windowTimer("restored", 10, TimeDomain.EVENT_TIME);
    Path snapshots = snapshotWithWindowTimers(restoredTimer);

    try (RocksDbStateBackend backend = new RocksDbStateBackend(temp.resolve("run-2"))) {
      backend.restoreFrom(snapshots);
      PartitionState restored = backend.open("stage-1", 0);
      restored.timers().registerWindowCoder(IntervalWindow.getCoder());
      restored.timers().registerWindowCoder(IntervalWindow.getCoder());
      TimerData newTimer = windowTimer("new", 20, TimeDomain.EVENT_TIME);
      restored.timers().set(KEY, newTimer);
      assertThat(restored.timers().pollDue(TimeDomain.EVENT_TIME, new Instant(100)).timer(),
          equalTo(restoredTimer));
      assertThat(restored.timers().pollDue(TimeDomain.EVENT_TIME, new Instant(100)).timer(),
          equalTo(newTimer));
    }
  }
}
