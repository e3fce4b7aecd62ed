package io.microbatch.engine.checkpoint;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where the engine's checkpoints go and come from; the runner implements it over a checkpoint
 * directory. Every batch is logged twice: what it read ({@link #logBatch}, before its output is
 * published) and that it committed ({@link #logCommit}). Every {@link #intervalBatches()} batches
 * a checkpoint follows: the engine's own state (sources' positions, watermarks, views, pushed-back
 * input) plus a snapshot of every keyed partition. Recovery restores the newest checkpoint and
 * replays the batches logged after it exactly as they ran.
 */
public interface Checkpointer extends AutoCloseable {

  /** Checkpoint after every this many committed batches. */
  int intervalBatches();

  /**
   * Called once before any state is opened: where to resume, with the state backend already set
   * to restore the checkpoint's partitions; empty to start fresh.
   */
  Optional<RestoredCheckpoint> restore() throws Exception;

  /**
   * Durably logs what batch {@code batchId} read ({@link BatchLogEntry}); called after its rounds
   * ran and before its state commits or any of its output is published.
   */
  void logBatch(long batchId, byte[] entry) throws Exception;

  /** Logs that batch {@code batchId} committed and its output was published. */
  void logCommit(long batchId) throws Exception;

  /**
   * Publishes a checkpoint of the batch that just committed. The snapshot directories, keyed by
   * {@code StateBackend.partitionPath}, are the engine's and deleted after the call returns.
   */
  void checkpoint(long batchId, byte[] engineState, Map<String, Path> partitionSnapshots)
      throws Exception;

  /** Releases what the checkpointer holds locally (e.g. restored files); called once, at the end. */
  @Override
  default void close() {}

  /**
   * Where a restarted job resumes.
   *
   * @param batchId the batch the restored checkpoint was taken after; -1 if there is none (the
   *     job crashed before its first checkpoint and replays from empty state)
   * @param engineState the checkpoint's engine state, or null if there is no checkpoint
   * @param replay the batches logged after the checkpoint, ascending and consecutive from {@code
   *     batchId + 1}, to run again exactly as logged before new ones are planned
   */
  record RestoredCheckpoint(long batchId, byte[] engineState, List<LoggedBatch> replay) {
    public RestoredCheckpoint {
      replay = List.copyOf(replay);
    }
  }

  /** A batch's write-ahead log entry, as {@link #logBatch} received it. */
  record LoggedBatch(long batchId, byte[] entry) {}
}
