package io.microbatch.checkpoint;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a checkpoint directory guarantees, on any file system: subclasses give a base URI and the
 * Hadoop settings for one (local, MiniDFSCluster, s3proxy).
 */
abstract class CheckpointStoreContract {
  private static final AtomicInteger RUNS = new AtomicInteger();
  private static final JobFingerprint JOB = JobFingerprint.builder()
      .step("Read", "SourceStep", "KafkaRecordCoder")
      .step("Count", "KeyedStep", "StringUtf8Coder", "VarLongCoder")
      .step("Write", "ElementStep", "StringUtf8Coder")
      .build();

  @TempDir Path local;
  String uri;

  /** e.g. {@code file:///tmp/x}, {@code hdfs://127.0.0.1:9000/x}, {@code s3a://bucket/x}. */
  abstract String baseUri();

  abstract Configuration hadoopConf();

  @BeforeEach
  void newDirectory(TestInfo test) {
    uri = baseUri() + "/" + test.getTestMethod().orElseThrow().getName() + "-"
        + RUNS.incrementAndGet();
  }

  CheckpointDirectory open(int retained) throws IOException {
    return CheckpointDirectory.open(uri, hadoopConf(), retained);
  }

  FileSystem fs() throws IOException {
    return new org.apache.hadoop.fs.Path(uri).getFileSystem(hadoopConf());
  }

  org.apache.hadoop.fs.Path remote(String relative) {
    return new org.apache.hadoop.fs.Path(uri + "/v1/" + relative);
  }

  /** Replaces a remote file's content (a torn write, a bit flip ...). */
  void overwrite(String relative, byte[] content) throws IOException {
    try (FSDataOutputStream out = fs().create(remote(relative), true)) {
      out.write(content);
    }
  }

  byte[] read(String relative) throws IOException {
    try (var in = fs().open(remote(relative))) {
      return in.readAllBytes();
    }
  }

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void logsOffsetsBeforeAndCommitsAfterEachBatchAndReportsPendingOnes() throws IOException {
    CheckpointDirectory dir = open(3);
    dir.bind(JOB);
    CheckpointLog log = dir.log();
    assertThat(log.latestCommit(), equalTo(Optional.empty()));
    log.writeOffsets(0, bytes("o0"));
    log.writeCommit(0, bytes("c0"));
    log.writeOffsets(1, bytes("o1"));
    log.writeCommit(1, bytes("c1"));
    log.writeOffsets(2, bytes("o2"));

    CheckpointLog reopened = open(3).log();
    assertThat(reopened.latestCommit().orElseThrow().batchId(), equalTo(1L));
    assertThat(new String(reopened.latestCommit().orElseThrow().payload(), StandardCharsets.UTF_8),
        equalTo("c1"));
    assertThat(reopened.pendingBatches(), contains(2L));
    assertThat(new String(reopened.readOffsets(2).orElseThrow(), StandardCharsets.UTF_8),
        equalTo("o2"));
    reopened.writeOffsets(2, bytes("o2"));
    IllegalStateException changed = assertThrows(IllegalStateException.class,
        () -> reopened.writeOffsets(2, bytes("other offsets")));
    assertThat(changed.getMessage(), containsString("batch 2"));
    assertThrows(IllegalStateException.class, () -> reopened.writeCommit(3, bytes("c3")));
  }

  @Test
  void ignoresATruncatedLogEntryWithAWarningAndFallsBackToThePreviousOne() throws IOException {
    CheckpointDirectory dir = open(3);
    dir.bind(JOB);
    CheckpointLog log = dir.log();
    for (long b = 0; b < 3; b++) {
      log.writeOffsets(b, bytes("offsets-" + b));
      log.writeCommit(b, bytes("commit-" + b));
    }
    log.writeOffsets(3, bytes("offsets-3"));
    byte[] commit2 = read("commits/2");
    overwrite("commits/2", Arrays.copyOf(commit2, commit2.length - 3));
    byte[] offsets3 = read("offsets/3");
    overwrite("offsets/3", Arrays.copyOf(offsets3, 10));

    try (CapturedLog captured = new CapturedLog()) {
      assertThat(log.latestCommit().orElseThrow().batchId(), equalTo(1L));
      assertThat(log.readOffsets(3), equalTo(Optional.empty()));
      assertThat(captured.text(), allOf(containsString("WARN"), containsString("commits/2"),
          containsString("offsets/3")));
    }
    // Batch 2 runs again with the offsets it logged; the torn commit is rewritten.
    assertThat(log.pendingBatches(), contains(2L));
    log.writeCommit(2, bytes("commit-2"));
    assertThat(log.latestCommit().orElseThrow().batchId(), equalTo(2L));
  }

  @Test
  void refusesAChangedPipelineNamingTheStepThatDiffers() throws IOException {
    open(3).bind(JOB);
    open(3).bind(JOB);
    JobFingerprint renamed = JobFingerprint.builder()
        .step("Read", "SourceStep", "KafkaRecordCoder")
        .step("CountWords", "KeyedStep", "StringUtf8Coder", "VarLongCoder")
        .step("Write", "ElementStep", "StringUtf8Coder")
        .build();
    IncompatibleCheckpointException e = assertThrows(IncompatibleCheckpointException.class,
        () -> open(3).bind(renamed));
    assertThat(e.getMessage(), allOf(containsString("'Count' was renamed to 'CountWords'"),
        containsString("new --checkpointDir"), containsString(uri)));
  }

  @Test
  void secondSnapshotUploadsOnlyTheFilesThatChanged() throws IOException {
    CheckpointDirectory dir = open(3);
    dir.bind(JOB);
    try (RocksState state = RocksState.fresh(local.resolve("work"))) {
      state.put(0, 0, 2000, "v".repeat(100));
      state.put(1, 0, 2000, "w".repeat(100));
      Map<String, Path> first = state.snapshot(local.resolve("s1"));
      PublishResult full = dir.publishSnapshot(1, first);
      assertThat(full.filesReused(), equalTo(0));
      assertThat(full.bytesUploaded(), equalTo(totalBytes(first)));

      state.put(0, 0, 10, "changed");
      Map<String, Path> second = state.snapshot(local.resolve("s2"));
      PublishResult incremental = dir.publishSnapshot(2, second);

      Set<String> newFiles = filesNotIn(second, first);
      assertThat(newFiles.stream().anyMatch(f -> f.endsWith(".sst")), is(true));
      assertThat(incremental.filesUploaded(), equalTo(newFiles.size()));
      assertThat(incremental.bytesUploaded(), equalTo(bytesOf(second, newFiles)));
      assertThat(incremental.bytesUploaded(), lessThan(full.bytesUploaded() / 4));
      assertThat(incremental.filesReused(), greaterThan(0));
    }
  }

  @Test
  void aFailedParallelUploadWritesNoManifestAndKeepsThePreviousSnapshot() throws IOException {
    open(3).bind(JOB);
    org.apache.hadoop.fs.Path versionRoot =
        fs().makeQualified(new org.apache.hadoop.fs.Path(uri + "/v1"));
    FailingUploads files = new FailingUploads(CheckpointFiles.on(fs()));
    SnapshotStore store = new SnapshotStore(files, versionRoot, 3, 4);
    try (RocksState state = RocksState.fresh(local.resolve("work"))) {
      for (int p = 0; p < 3; p++) {
        state.put(p, 0, 300, "first");
      }
      store.publish(1, state.snapshot(local.resolve("s1")));
      assertThat(files.uploadThreads.size(), greaterThan(1));
      assertThat(files.uploadThreads.stream().allMatch(t -> t.startsWith("checkpoint-upload-")),
          is(true));

      for (int p = 0; p < 3; p++) {
        state.put(p, 0, 300, "second");
      }
      Map<String, Path> second = state.snapshot(local.resolve("s2"));
      files.arm();
      IOException failure = assertThrows(IOException.class, () -> store.publish(2, second));
      assertThat(failure.getMessage(), containsString("Injected failure"));
      assertThat(fs().exists(remote("state/snapshots/2/" + SnapshotStore.MANIFEST)), is(false));
      RestoredSnapshot restored =
          open(3).snapshots().restoreLatest(local.resolve("r1")).orElseThrow();
      assertThat(restored.batchId(), equalTo(1L));
      try (RocksState back = RocksState.restored(local.resolve("w1"), local.resolve("r1"))) {
        assertThat(back.get(2, 299), equalTo("first-299"));
      }

      // The next publish of the same files replaces the torn one and completes.
      store.publish(3, second);
    }
    RestoredSnapshot latest = open(3).snapshots().restoreLatest(local.resolve("r3")).orElseThrow();
    assertThat(latest.batchId(), equalTo(3L));
    try (RocksState back = RocksState.restored(local.resolve("w3"), local.resolve("r3"))) {
      for (int p = 0; p < 3; p++) {
        assertThat(back.get(p, 299), equalTo("second-299"));
      }
    }
  }

  @Test
  void restoresTheStateOfTheNewestSnapshotIntoFreshPartitions() throws IOException {
    CheckpointDirectory dir = open(3);
    dir.bind(JOB);
    try (RocksState state = RocksState.fresh(local.resolve("work"))) {
      state.put(0, 0, 500, "first");
      state.put(1, 0, 500, "first");
      dir.publishSnapshot(4, state.snapshot(local.resolve("s4")));
      state.put(0, 0, 100, "second");
      dir.publishSnapshot(5, state.snapshot(local.resolve("s5")));
    }
    Path restoreRoot = local.resolve("restore");
    RestoredSnapshot restored = open(3).snapshots().restoreLatest(restoreRoot).orElseThrow();
    assertThat(restored.batchId(), equalTo(5L));
    assertThat(restored.partitions().keySet(),
        contains(RocksState.partitionName(0), RocksState.partitionName(1)));
    try (RocksState state = RocksState.restored(local.resolve("work-2"), restoreRoot)) {
      assertThat(state.get(0, 7), equalTo("second-7"));
      assertThat(state.get(0, 300), equalTo("first-300"));
      assertThat(state.get(1, 499), equalTo("first-499"));
      assertThat(state.get(1, 500), equalTo(null));
    }
  }

  @Test
  void fallsBackToThePreviousSnapshotWhenAFileIsMissingTruncatedOrCorrupt() throws IOException {
    CheckpointDirectory dir = open(5);
    dir.bind(JOB);
    try (RocksState state = RocksState.fresh(local.resolve("work"))) {
      for (int batch = 1; batch <= 4; batch++) {
        state.put(0, 0, 300, "batch" + batch);
        dir.publishSnapshot(batch, state.snapshot(local.resolve("s" + batch)));
      }
    }
    // Damage the newest snapshots one by one, each in a file no older snapshot shares.
    damageOwnSstFile(4, file -> fs().delete(file, false));
    assertFallsBackTo(3, "is missing");
    damageOwnSstFile(3, file -> overwrite(file, Arrays.copyOf(readRemote(file), 100)));
    assertFallsBackTo(2, "has 100 bytes");
    damageOwnSstFile(2, file -> {
      byte[] content = readRemote(file);
      content[content.length / 2] ^= 0x40;
      overwrite(file, content);
    });
    assertFallsBackTo(1, "fails its CRC32 check");
  }

  private void assertFallsBackTo(long batchId, String problem) throws IOException {
    Path restoreRoot = local.resolve("restore-" + batchId);
    try (CapturedLog captured = new CapturedLog()) {
      RestoredSnapshot restored = open(5).snapshots().restoreLatest(restoreRoot).orElseThrow();
      assertThat(restored.batchId(), equalTo(batchId));
      assertThat(captured.text(), allOf(containsString("WARN"), containsString(problem)));
    }
    try (RocksState state = RocksState.restored(local.resolve("work-" + batchId), restoreRoot)) {
      assertThat(state.get(0, 42), equalTo("batch" + batchId + "-42"));
    }
  }

  @Test
  void refusesToStartFromNothingWhenEverySnapshotIsCorrupt() throws IOException {
    CheckpointDirectory dir = open(3);
    dir.bind(JOB);
    try (RocksState state = RocksState.fresh(local.resolve("work"))) {
      state.put(0, 0, 100, "x");
      dir.publishSnapshot(0, state.snapshot(local.resolve("s0")));
      state.put(0, 0, 100, "y");
      dir.publishSnapshot(1, state.snapshot(local.resolve("s1")));
    }
    byte[] manifest = read("state/snapshots/1/MANIFEST");
    overwrite("state/snapshots/1/MANIFEST", Arrays.copyOf(manifest, manifest.length / 2));
    damageOwnSstFile(0, file -> fs().delete(file, false));

    CorruptCheckpointException e = assertThrows(CorruptCheckpointException.class,
        () -> open(3).snapshots().restoreLatest(local.resolve("restore")));
    assertThat(e.getMessage(), allOf(containsString("batch 1: manifest is torn"),
        containsString("batch 0: file"), containsString("--checkpointDir")));
  }

  @Test
  void keepsTheNewestSnapshotsAndDeletesFilesAndLogEntriesNoLongerNeeded() throws IOException {
    CheckpointDirectory dir = open(2);
    dir.bind(JOB);
    try (RocksState state = RocksState.fresh(local.resolve("work"))) {
      for (int batch = 0; batch < 5; batch++) {
        dir.log().writeOffsets(batch, bytes("o" + batch));
        state.put(0, batch * 100, batch * 100 + 100, "b" + batch);
        dir.log().writeCommit(batch, bytes("c" + batch));
        PublishResult result =
            dir.publishSnapshot(batch, state.snapshot(local.resolve("s" + batch)));
        assertThat(result.oldestRetainedBatchId(), equalTo((long) Math.max(0, batch - 1)));
      }
    }
    assertThat(dir.snapshots().snapshotIds(), contains(3L, 4L));
    assertThat(dir.log().offsetsIds(), contains(3L, 4L));
    assertThat(dir.log().commitIds(), contains(3L, 4L));
    Set<String> stored = sharedFileNames();
    Set<String> listed = new HashSet<>();
    for (String manifest : List.of("3", "4")) {
      SnapshotManifest m = manifest(Long.parseLong(manifest));
      m.partitions().values().forEach(files -> files.forEach(f -> listed.add(f.sharedName())));
    }
    assertThat(stored, equalTo(listed));
    // Still restorable after the deletions.
    assertThat(open(2).snapshots().restoreLatest(local.resolve("r")).orElseThrow().batchId(),
        equalTo(4L));
  }

  @Test
  void recoveryRestoresTheSnapshotAndReplaysTheLoggedBatchesAfterIt() throws IOException {
    CheckpointDirectory dir = open(3);
    dir.bind(JOB);
    try (RocksState state = RocksState.fresh(local.resolve("work"))) {
      for (int batch = 0; batch < 6; batch++) {
        dir.log().writeOffsets(batch, bytes("o" + batch));
        if (batch == 5) {
          break; // killed while batch 5 runs
        }
        state.put(0, batch, batch + 1, "b");
        dir.log().writeCommit(batch, bytes("c" + batch));
        if (batch == 2) {
          dir.publishSnapshot(batch, state.snapshot(local.resolve("s" + batch)));
        }
      }
    }
    CheckpointDirectory restarted = open(3);
    restarted.bind(JOB);
    Recovery recovery = restarted.recover(local.resolve("restore"));
    assertThat(recovery.snapshot().orElseThrow().batchId(), equalTo(2L));
    assertThat(recovery.batchesToReplay(), contains(3L, 4L, 5L));
    assertThat(recovery.nextBatchId(), equalTo(6L));
  }

  @Test
  void recoveryWithoutAnySnapshotReplaysTheWholeLog() throws IOException {
    CheckpointDirectory dir = open(3);
    dir.bind(JOB);
    dir.log().writeOffsets(0, bytes("o0"));
    dir.log().writeCommit(0, bytes("c0"));
    dir.log().writeOffsets(1, bytes("o1"));
    Recovery recovery = open(3).recover(local.resolve("restore"));
    assertThat(recovery.snapshot(), equalTo(Optional.empty()));
    assertThat(recovery.batchesToReplay(), contains(0L, 1L));
    assertThat(recovery.nextBatchId(), equalTo(2L));
    assertThat(open(3).snapshots().snapshotIds(), is(empty()));
  }

  /** A damage applied to a remote file. */
  interface Damage {
    void apply(org.apache.hadoop.fs.Path file) throws IOException;
  }

  private void overwrite(org.apache.hadoop.fs.Path file, byte[] content) throws IOException {
    try (FSDataOutputStream out = fs().create(file, true)) {
      out.write(content);
    }
  }

  private byte[] readRemote(org.apache.hadoop.fs.Path file) throws IOException {
    try (var in = fs().open(file)) {
      return in.readAllBytes();
    }
  }

  private SnapshotManifest manifest(long batchId) throws IOException {
    try {
      return SnapshotManifest.decode(FrameCodec.decode(FrameCodec.Kind.MANIFEST,
          read("state/snapshots/" + batchId + "/MANIFEST")));
    } catch (FrameCodec.InvalidFrameException e) {
      throw new AssertionError("manifest of batch " + batchId + " is unreadable", e);
    }
  }

  /** Damages an SST file that the snapshot of {@code batchId} lists and no older one does. */
  private void damageOwnSstFile(long batchId, Damage damage) throws IOException {
    Set<String> older = new HashSet<>();
    SnapshotManifest target = null;
    for (long id : open(5).snapshots().snapshotIds()) {
      if (id > batchId) {
        break;
      }
      SnapshotManifest m = manifest(id);
      if (id < batchId) {
        m.partitions().forEach((p, files) -> files.forEach(f -> older.add(p + "/"
            + f.sharedName())));
      } else if (id == batchId) {
        target = m;
      }
    }
    for (Map.Entry<String, List<SnapshotManifest.FileEntry>> p :
        target.partitions().entrySet()) {
      for (SnapshotManifest.FileEntry f : p.getValue()) {
        String relative = p.getKey() + "/" + f.sharedName();
        if (f.name().endsWith(".sst") && !older.contains(relative) && f.size() > 200) {
          damage.apply(remote("state/shared/" + relative));
          return;
        }
      }
    }
    throw new AssertionError("snapshot " + batchId + " has no SST file of its own");
  }

  private Set<String> sharedFileNames() throws IOException {
    Set<String> names = new HashSet<>();
    RemoteIterator<LocatedFileStatus> it = fs().listFiles(remote("state/shared"), true);
    while (it.hasNext()) {
      names.add(it.next().getPath().getName());
    }
    return names;
  }

  private static long totalBytes(Map<String, Path> dirs) throws IOException {
    long total = 0;
    for (Path dir : dirs.values()) {
      try (Stream<Path> files = Files.list(dir)) {
        for (Path f : files.toList()) {
          total += Files.size(f);
        }
      }
    }
    return total;
  }

  /** Files (partition/name) of {@code now} that {@code before} lacks or holds with other bytes. */
  private static Set<String> filesNotIn(Map<String, Path> now, Map<String, Path> before)
      throws IOException {
    Set<String> result = new HashSet<>();
    for (Map.Entry<String, Path> p : now.entrySet()) {
      try (Stream<Path> files = Files.list(p.getValue())) {
        for (Path f : files.toList()) {
          Path old = before.get(p.getKey()).resolve(f.getFileName());
          if (!Files.exists(old) || Files.mismatch(f, old) != -1) {
            result.add(p.getKey() + "/" + f.getFileName());
          }
        }
      }
    }
    return result;
  }

  private static long bytesOf(Map<String, Path> dirs, Set<String> files) throws IOException {
    long total = 0;
    for (String file : files) {
      int slash = file.lastIndexOf('/');
      total += Files.size(dirs.get(file.substring(0, slash)).resolve(file.substring(slash + 1)));
    }
    return total;
  }
}
