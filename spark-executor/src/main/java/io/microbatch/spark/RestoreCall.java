package io.microbatch.spark;

import io.microbatch.engine.exec.RemoteProgram;
import io.microbatch.engine.exec.RemoteTaskRunner;
import io.microbatch.state.PartitionState;
import org.apache.spark.broadcast.Broadcast;

/**
 * Opens a keyed partition on the executor it lands on from snapshot files the driver restored
 * from a checkpoint, before the partition's first task; that executor then holds it. Returns the
 * bytes it received.
 */
final class RestoreCall implements RemotePartitionTask<Long> {
  private static final long serialVersionUID = 1L;

  private final Broadcast<RemoteProgram> program;
  private final int stageId;
  private final PartitionFiles files;

  RestoreCall(Broadcast<RemoteProgram> program, int stageId, PartitionFiles files) {
    this.program = program;
    this.stageId = stageId;
    this.files = files;
  }

  @Override
  public Long run(PartitionContext context) throws Exception {
    PartitionState state = context.restoredState(files);
    RemoteTaskRunner.prepareOpenedState(program.value(), stageId, state);
    return files.bytes();
  }
}
