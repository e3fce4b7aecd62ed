package io.microbatch.state.rocksdb;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.microbatch.state.ByteKey;
import io.microbatch.state.PartitionState;
import io.microbatch.state.StateDirectoryException;
import io.microbatch.state.StateDirectoryException.Reason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.beam.runners.core.StateNamespaces;
import org.apache.beam.runners.core.StateTags;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.state.ValueState;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The RocksDB backend's life cycle: directories, locks, fresh starts and native handles. */
class RocksDbStateBackendTest {
  @TempDir Path temp;

  private static ValueState<String> value(PartitionState partition) {
    return partition.stateFor(ByteKey.of(new byte[] {7}), "k")
        .state(StateNamespaces.global(), StateTags.value("v", StringUtf8Coder.of()));
  }

  @Test
  void keepsEachStagePartitionInItsOwnDirectoryUnderTheStateDir() {
    try (RocksDbStateBackend backend = new RocksDbStateBackend(temp.resolve("state"))) {
      RocksDbPartitionState p0 = (RocksDbPartitionState) backend.open("stage-1", 0);
      RocksDbPartitionState p1 = (RocksDbPartitionState) backend.open("stage-1", 1);
      value(p0).write("zero");
      p0.commit();

      assertThat(p0.directory(), equalTo(temp.resolve("state/stage-1/partition-0").toAbsolutePath()));
      assertThat(Files.exists(p1.directory().resolve("CURRENT")), is(true));
      assertThat(value(p1).read(), equalTo(null));
      p0.close();
      assertThat(Files.exists(p0.directory()), is(false));
    }
  }

  @Test
  void reportedSizeGrowsWithCommittedStateButNotWithUncommittedWrites() {
    try (RocksDbStateBackend backend = new RocksDbStateBackend(temp.resolve("state"))) {
      PartitionState partition = backend.open("stage-1", 0);
      long empty = partition.approximateSizeBytes();
      String payload = "x".repeat(100);
      for (int i = 0; i < 10_000; i++) {
        partition.stateFor(ByteKey.of(Integer.toString(i).getBytes(UTF_8)), i)
            .state(StateNamespaces.global(), StateTags.value("v", StringUtf8Coder.of()))
            .write(payload + i);
      }
      assertThat(partition.approximateSizeBytes(), equalTo(empty));

      partition.commit();

      // 10,000 entries of ~130 bytes (1.3 MB): RocksDB's estimate lands within a small factor.
      long committed = partition.approximateSizeBytes() - empty;
      assertThat(committed, greaterThanOrEqualTo(400_000L));
      assertThat(committed, lessThanOrEqualTo(10_000_000L));
      partition.close();
    }
  }

  @Test
  void refusesAStateDirThatCannotBeCreatedNamingIt() throws IOException {
    Path file = Files.createFile(temp.resolve("a-file"));
    Path stateDir = file.resolve("state");
    try (RocksDbStateBackend backend = new RocksDbStateBackend(stateDir)) {
      StateDirectoryException e =
          assertThrows(StateDirectoryException.class, () -> backend.open("stage-1", 0));
      assertThat(e.reason(), equalTo(Reason.NOT_CREATABLE));
      assertThat(e.getMessage(), containsString(stateDir.toString()));
    }
  }

  @Test
  void refusesAReadOnlyStateDirNamingIt() throws Exception {
    Path stateDir = Files.createDirectory(temp.resolve("read-only"));
    ReadOnlyDirectory readOnly = ReadOnlyDirectory.make(stateDir);
    try (RocksDbStateBackend backend = new RocksDbStateBackend(stateDir)) {
      StateDirectoryException e =
          assertThrows(StateDirectoryException.class, () -> backend.open("stage-1", 0));
      assertThat(e.reason(), equalTo(Reason.READ_ONLY));
      assertThat(e.getMessage(), containsString(stateDir.toString()));
    } finally {
      readOnly.undo();
    }
  }

  @Test
  void refusesAPartitionThatAnotherOpenStoreHoldsAndLeavesItsDataAlone() {
    Path stateDir = temp.resolve("shared");
    try (RocksDbStateBackend first = new RocksDbStateBackend(stateDir);
        RocksDbStateBackend second = new RocksDbStateBackend(stateDir)) {
      PartitionState held = first.open("stage-1", 0);
      value(held).write("mine");
      held.commit();

      StateDirectoryException e =
          assertThrows(StateDirectoryException.class, () -> second.open("stage-1", 0));
      assertThat(e.reason(), equalTo(Reason.LOCKED));
      assertThat(e.getMessage(), containsString(stateDir.resolve("stage-1").toString()));
      assertThat(value(held).read(), equalTo("mine"));
      second.open("stage-1", 1).close();
    }
  }

  @Test
  void startsEmptyWhereAnEarlierRunLeftState() throws IOException {
    Path stateDir = temp.resolve("reused");
    RocksDbStore leftover;
    try (SharedRocksResources shared = new SharedRocksResources(RocksDbConfig.defaults())) {
      Path dir = stateDir.resolve("stage-1").resolve("partition-0");
      Files.createDirectories(dir);
      leftover = RocksDbStore.openFresh(dir, shared, RocksDbConfig.defaults());
      leftover.put(Column.STATE, new byte[] {1}, new byte[] {2});
      leftover.commit();
      leftover.close();
    }
    try (RocksDbStateBackend backend = new RocksDbStateBackend(stateDir)) {
      PartitionState partition = backend.open("stage-1", 0);
      assertThat(partition.isEmpty(), is(true));
    }
  }

  @Test
  void deletesItsTemporaryDirectoryWhenTheLastPartitionCloses() {
    RocksDbStateBackend backend = new RocksDbStateBackend();
    RocksDbPartitionState a = (RocksDbPartitionState) backend.open("stage-1", 0);
    RocksDbPartitionState b = (RocksDbPartitionState) backend.open("stage-2", 0);
    Path root = a.directory().getParent().getParent();
    a.close();
    assertThat(Files.isDirectory(root), is(true));
    b.close();
    assertThat(Files.exists(root), is(false));
    backend.close();
  }

  @Test
  void opensAndClosesTwoHundredTimesWithoutLeakingFileDescriptors() throws IOException {
    Path stateDir = temp.resolve("churn");
    long before = openFileDescriptors();
    for (int i = 0; i < 200; i++) {
      try (RocksDbStateBackend backend = new RocksDbStateBackend(stateDir)) {
        PartitionState partition = backend.open("stage-1", i % 3);
        value(partition).write("round " + i);
        partition.commit();
        assertThat(value(partition).read(), equalTo("round " + i));
        partition.close();
      }
    }
    long after = openFileDescriptors();
    // A leaked database keeps its LOCK, log and manifest files open: 200 leaks would show.
    assertThat(after - before, lessThanOrEqualTo(20L));
  }

  private static long openFileDescriptors() throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.count();
    }
  }

  /** Makes a directory read-only for this process, also when it runs as root. */
  static final class ReadOnlyDirectory {
    private final Path dir;
    private final boolean immutable;

    private ReadOnlyDirectory(Path dir, boolean immutable) {
      this.dir = dir;
      this.immutable = immutable;
    }

    static ReadOnlyDirectory make(Path dir) throws Exception {
      dir.toFile().setWritable(false, false);
      if (!isWritable(dir)) {
        return new ReadOnlyDirectory(dir, false);
      }
      // Root ignores permission bits; the immutable attribute stops it too.
      int exit = new ProcessBuilder("chattr", "+i", dir.toString()).start().waitFor();
      Assumptions.assumeTrue(exit == 0 && !isWritable(dir),
          "cannot make a directory read-only for this user");
      return new ReadOnlyDirectory(dir, true);
    }

    private static boolean isWritable(Path dir) {
      try {
        Files.delete(Files.createTempFile(dir, "probe", null));
        return true;
      } catch (IOException e) {
        return false;
      }
    }

    void undo() throws Exception {
      if (immutable) {
        new ProcessBuilder("chattr", "-i", dir.toString()).start().waitFor();
      }
      dir.toFile().setWritable(true, false);
    }
  }
}
