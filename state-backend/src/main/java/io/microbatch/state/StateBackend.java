package io.microbatch.state;

/**
 * Creates the keyed state of one partition of one keyed stage. The engine opens one {@link
 * PartitionState} per (stage, partition) for the life of a pipeline run.
 */
public interface StateBackend extends AutoCloseable {

  /** The name users select this backend by, e.g. {@code memory}. */
  String name();

  /**
   * Opens (or creates) the state of the given stage partition.
   *
   * @throws StateDirectoryException if the backend keeps state in a directory that is missing and
   *     cannot be created, is read-only, or is locked by another open store
   */
  PartitionState open(String stageId, int partition);

  /**
   * Whether {@link PartitionState#snapshot} and {@link #restoreFrom} work. The engine checks this
   * before it runs a job with a checkpoint directory.
   */
  default boolean supportsCheckpoints() {
    return false;
  }

  /**
   * Makes every later {@link #open} start from the partition's snapshot under {@code
   * snapshotRoot} ({@code <snapshotRoot>/<stage directory>/partition-<n>}, as written by {@link
   * PartitionState#snapshot}) instead of from empty state. A partition without a snapshot there
   * starts empty. Call before the first {@code open}; the snapshot files are copied or linked, so
   * {@code snapshotRoot} may be deleted once every partition is open.
   *
   * @throws UnsupportedOperationException if the backend cannot restore state
   * @throws IllegalStateException if a partition is already open
   */
  default void restoreFrom(java.nio.file.Path snapshotRoot) {
    throw new UnsupportedOperationException(
        "The " + name() + " state backend (--stateBackend=" + name() + ") cannot restore "
            + "checkpoints; use --stateBackend=rocksdb with --checkpointDir");
  }

  /**
   * The directory name {@link #restoreFrom} looks under for a stage's partitions, and the prefix
   * of the partition names snapshots are published under ({@code <stage directory>/partition-<n>}).
   */
  static String partitionPath(String stageId, int partition) {
    return stageDirectoryName(stageId) + "/partition-" + partition;
  }

  /** Stage ids become directory names; anything unsafe is replaced and the id's hash appended. */
  static String stageDirectoryName(String stageId) {
    String safe = stageId.replaceAll("[^A-Za-z0-9._-]", "_");
    return safe.equals(stageId) && !safe.startsWith(".")
        ? safe
        : safe + "-" + Integer.toHexString(stageId.hashCode());
  }

  @Override
  default void close() {}
}
