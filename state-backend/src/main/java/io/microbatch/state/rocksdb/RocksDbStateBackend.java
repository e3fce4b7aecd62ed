package io.microbatch.state.rocksdb;

import io.microbatch.state.PartitionState;
import io.microbatch.state.StateBackend;
import io.microbatch.state.StateDirectoryException;
import io.microbatch.state.StateDirectoryException.Reason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each stage partition's state in its own RocksDB database under a state directory ({@code
 * <stateDir>/<stage>/partition-<n>}), so state can outgrow the heap and partitions never contend
 * for one database. The block cache and the memtable budget are shared by all partitions of the
 * backend and released when the last partition closes.
 *
 * <p>A partition directory is a working copy: {@link #open} starts it empty (discarding what an
 * earlier run left, never a directory another open store holds), and closing the partition deletes
 * it. Without a state directory a temporary one is used and deleted when the last partition closes.
 *
 * <p>For checkpoints, {@link PartitionState#snapshot} writes a partition's committed state as a
 * RocksDB checkpoint, and {@link #restoreFrom} makes later {@link #open} calls start from such
 * snapshots instead of from empty state.
 */
public final class RocksDbStateBackend implements StateBackend {
  public static final String NAME = "rocksdb";
  private static final Logger LOG = LoggerFactory.getLogger(RocksDbStateBackend.class);

  private final Path configuredDirectory;
  private final RocksDbConfig config;
  private final Set<RocksDbPartitionState> open = new LinkedHashSet<>();
  private SharedRocksResources shared;
  private Path root;
  private Path restoreRoot;

  /** State in a temporary directory with the default options. */
  public RocksDbStateBackend() {
    this(null, RocksDbConfig.defaults());
  }

  /** State under {@code stateDirectory} (a temporary directory if null), default options. */
  public RocksDbStateBackend(Path stateDirectory) {
    this(stateDirectory, RocksDbConfig.defaults());
  }

  public RocksDbStateBackend(Path stateDirectory, RocksDbConfig config) {
    this.configuredDirectory = stateDirectory;
    this.config = config;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public synchronized PartitionState open(String stageId, int partition) {
    try {
      Path partitionDir = rootDirectory()
          .resolve(directoryName(stageId)).resolve("partition-" + partition);
      try {
        Files.createDirectories(partitionDir.getParent());
      } catch (IOException e) {
        throw new StateDirectoryException(partitionDir.getParent(), Reason.NOT_CREATABLE, e);
      }
      if (shared == null) {
        shared = new SharedRocksResources(config);
      }
      Path snapshot = restoreRoot == null ? null
          : restoreRoot.resolve(StateBackend.partitionPath(stageId, partition));
      RocksDbStore store = snapshot != null && Files.isDirectory(snapshot)
          ? RocksDbStore.openRestored(partitionDir, snapshot, shared, config)
          : RocksDbStore.openFresh(partitionDir, shared, config);
      if (snapshot != null) {
        LOG.info("{} partition {} {}", stageId, partition, Files.isDirectory(snapshot)
            ? "restored from " + snapshot : "has no snapshot in " + restoreRoot + ": starts empty");
      }
      RocksDbPartitionState state = new RocksDbPartitionState(store, this::closed);
      open.add(state);
      LOG.debug("Opened RocksDB state of {} partition {} in {}", stageId, partition, partitionDir);
      return state;
    } catch (RuntimeException | Error e) {
      releaseIfUnused();
      throw e;
    }
  }

  @Override
  public boolean supportsCheckpoints() {
    return true;
  }

  @Override
  public synchronized void restoreFrom(Path snapshotRoot) {
    if (!open.isEmpty()) {
      throw new IllegalStateException(
          "restoreFrom must be called before any partition is opened; " + open.size() + " open");
    }
    if (!Files.isDirectory(snapshotRoot)) {
      throw new IllegalArgumentException("No snapshot directory " + snapshotRoot);
    }
    this.restoreRoot = snapshotRoot.toAbsolutePath();
  }

  private Path rootDirectory() {
    if (root != null) {
      return root;
    }
    if (configuredDirectory == null) {
      try {
        root = Files.createTempDirectory("microbatch-state-");
      } catch (IOException e) {
        throw new StateDirectoryException(
            Path.of(System.getProperty("java.io.tmpdir")), Reason.NOT_CREATABLE, e);
      }
      LOG.info("RocksDB state in temporary directory {}", root);
      return root;
    }
    Path dir = configuredDirectory.toAbsolutePath();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new StateDirectoryException(dir, Reason.NOT_CREATABLE, e);
    }
    try {
      Files.delete(Files.createTempFile(dir, ".probe-", ".tmp"));
    } catch (IOException e) {
      throw new StateDirectoryException(dir, Reason.READ_ONLY, e);
    }
    root = dir;
    return root;
  }

  /** Stage ids become directory names; anything unsafe is replaced and the id's hash appended. */
  static String directoryName(String stageId) {
    return StateBackend.stageDirectoryName(stageId);
  }

  private synchronized void closed(RocksDbPartitionState state) {
    open.remove(state);
    deleteRecursively(state.directory());
    deleteIfEmpty(state.directory().getParent());
    releaseIfUnused();
  }

  private void releaseIfUnused() {
    if (!open.isEmpty()) {
      return;
    }
    if (shared != null) {
      shared.close();
      shared = null;
    }
    if (root != null && configuredDirectory == null) {
      deleteRecursively(root);
      LOG.debug("Deleted temporary state directory {}", root);
    }
    root = null;
  }

  /** Closes every partition still open and releases the shared resources. */
  @Override
  public synchronized void close() {
    for (RocksDbPartitionState state : new ArrayList<>(open)) {
      state.close();
    }
    releaseIfUnused();
  }

  private static void deleteIfEmpty(Path dir) {
    try (Stream<Path> entries = Files.list(dir)) {
      if (entries.findAny().isEmpty()) {
        Files.deleteIfExists(dir);
      }
    } catch (IOException e) {
      LOG.debug("Could not remove {}", dir, e);
    }
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      List<Path> all = paths.sorted(Comparator.reverseOrder()).toList();
      for (Path path : all) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      LOG.warn("Could not delete state directory {}", dir, e);
    }
  }

  @Override
  public String toString() {
    return "RocksDbStateBackend[" + (configuredDirectory == null ? "temp" : configuredDirectory)
        + "]";
  }
}
