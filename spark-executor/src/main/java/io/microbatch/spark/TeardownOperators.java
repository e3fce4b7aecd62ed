package io.microbatch.spark;

import io.microbatch.engine.exec.RemoteProgram;
import org.apache.spark.broadcast.Broadcast;

/**
 * End of a run, once per executor that ran its tasks: closes that executor's copy of the
 * program's operator factories, so the DoFn instances it set up are torn down there as they are
 * locally. Returns true if it ran on the executor it was meant for.
 */
final class TeardownOperators implements RemotePartitionTask<Boolean> {
  private static final long serialVersionUID = 1L;

  private final Broadcast<RemoteProgram> program;
  private final ExecutorLocation target;

  TeardownOperators(Broadcast<RemoteProgram> program, ExecutorLocation target) {
    this.program = program;
    this.target = target;
  }

  @Override
  public Boolean run(PartitionContext context) throws Exception {
    if (!target.equals(context.executor())) {
      // Another executor's copy holds no instances of the target's; closing it would only
      // fetch the program here to close nothing.
      return false;
    }
    // Tasks on this executor read the broadcast's one cached copy, so this is the copy whose
    // DoFn pools hold this executor's instances.
    program.value().closeOperators();
    return true;
  }
}
