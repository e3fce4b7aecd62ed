package io.microbatch.spark;

import io.microbatch.engine.exec.RemoteProgram;
import io.microbatch.engine.exec.RemoteTaskRunner;
import io.microbatch.state.PartitionState;
import org.apache.spark.broadcast.Broadcast;

/**
 * Opens a keyed partition on the executor it lands on from snapshot files the driver restored
 * from a checkpoint, before the partition's first task; that executor then holds it. Returns the
 * bytes it received, or -1 if it was meant for another executor (a partition moving to balance
 * executors) and did nothing.
 */
final class RestoreCall implements RemotePartitionTask<Long> {
  private static final long serialVersionUID = 1L;

  private final Broadcast<RemoteProgram> program;
  private final int stageId;
  private final PartitionFiles files;
  /** The executor meant to open it, or null if any may (a restore before the first batch). */
  private final ExecutorLocation target;

  RestoreCall(Broadcast<RemoteProgram> program, int stageId, PartitionFiles files,
      ExecutorLocation target) {
    this.program = program;
    this.stageId = stageId;
    this.files = files;
    this.target = target;
  }

  @Override
  public Long run(PartitionContext context) throws Exception {
    if (target != null && !target.equals(context.executor())) {
      // A move that landed elsewhere: the partition stays with its holder.
      return -1L;
    }
    PartitionState state = context.restoredState(files);
    RemoteTaskRunner.prepareOpenedState(program.value(), stageId, state);
    return files.bytes();
  }
}
