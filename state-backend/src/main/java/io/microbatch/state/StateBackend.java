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

  @Override
  default void close() {}
}
