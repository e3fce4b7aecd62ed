package io.microbatch.engine.exec;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A {@link TaskExecutor} whose tasks run in other processes (issue #10). The engine then hands it
 * serializable {@link RemoteTask}s instead of closures, keyed state lives where the executor keeps
 * it (the engine's driver holds only a summary per partition, see {@link RemotePartitionState}),
 * and the batch boundary (commit, abort) and checkpoints (snapshot, restore) become calls on the
 * executor.
 *
 * <p>On top of {@link TaskExecutor}'s contract (results in task order, first failure thrown after
 * every task stopped, one task per partition at a time), an implementation must run a keyed
 * partition's tasks where its state is, and must never run a keyed task twice within a batch
 * (a retry would apply the partition's input a second time to uncommitted state): it fails
 * instead, and the engine aborts the batch.
 */
public interface RemoteTaskExecutor extends TaskExecutor {

  /** Called once, before the first batch: ships the job's stages (once, not per task). */
  void start(RemoteProgram program);

  /** Runs one stage's tasks of one round; results in task order. */
  List<RemoteTaskResult> runRemote(List<RemoteTask> tasks) throws Exception;

  /** The batch's rounds are done: commits every keyed partition's state where it is held. */
  void commitState(long batchId) throws Exception;

  /**
   * After {@link #commitState}: runs the after-commit work (bundle finalization, publishing
   * staged output) that the batch's tasks left in the executor processes where they ran, in those
   * processes. A callback that throws fails this call; if a process holding such work is gone,
   * the failure is a {@link PartitionsLostException} (a replay of the batch redoes the work).
   */
  void runAfterCommit(long batchId) throws Exception;

  /** The batch failed: discards every keyed partition's uncommitted writes where held. */
  void abortState(long batchId) throws Exception;

  /**
   * After batch {@code batchId} committed: snapshots every keyed partition that holds state
   * (partitions that never ran are empty and left out) into {@code
   * scratch/<StateBackend.partitionPath(stateName, partition)>} on the driver, for the
   * checkpoint. Returns those directories by partition path.
   */
  Map<String, Path> snapshotState(long batchId, Path scratch) throws Exception;

  /**
   * Before the first batch, after {@link #start}: each listed partition starts from its snapshot
   * directory (on the driver) on the executor that will hold it; others start empty.
   */
  void restoreState(List<PartitionSnapshot> snapshots) throws Exception;

  /** A keyed partition's snapshot directory on the driver. */
  record PartitionSnapshot(String stateName, int partition, Path directory) {}
}
