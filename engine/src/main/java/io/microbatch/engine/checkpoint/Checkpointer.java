package io.microbatch.engine.checkpoint;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where the engine's checkpoints go and come from; the runner implements it over a checkpoint
 * directory. A checkpoint is taken after a committed batch: the engine's own state (sources'
 * positions, watermarks, views, pushed-back input) plus a snapshot of every keyed partition.
 */
public interface Checkpointer {

  /** Checkpoint after every this many committed batches. */
  int intervalBatches();

  /**
   * Called once before any state is opened: the engine state of the newest usable checkpoint, with
   * the state backend already set to restore the same checkpoint's partitions; empty to start
   * fresh.
   */
  Optional<RestoredCheckpoint> restore() throws Exception;

  /**
   * Publishes a checkpoint of the batch that just committed. The snapshot directories, keyed by
   * {@code StateBackend.partitionPath}, are the engine's and deleted after the call returns.
   */
  void checkpoint(long batchId, byte[] engineState, Map<String, Path> partitionSnapshots)
      throws Exception;

  /** The engine state of a checkpoint and the batch it was taken after. */
  record RestoredCheckpoint(long batchId, byte[] engineState) {}
}
