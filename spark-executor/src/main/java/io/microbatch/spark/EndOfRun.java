package io.microbatch.spark;

import io.microbatch.engine.exec.RemoteProgram;
import org.apache.spark.broadcast.Broadcast;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end of a run on one executor that ran its tasks: closes every partition of the run held
 * there (deleting their working directories), including partitions whose tasks the driver never
 * heard of because their Spark job failed, then closes the executor's copy of the operator
 * factories so the DoFn instances set up there are torn down there, as they are locally. Returns
 * true if it ran on the executor it was meant for.
 */
final class EndOfRun implements RemotePartitionTask<Boolean> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(EndOfRun.class);

  private final Broadcast<RemoteProgram> program;
  private final ExecutorLocation target;

  EndOfRun(Broadcast<RemoteProgram> program, ExecutorLocation target) {
    this.program = program;
    this.target = target;
  }

  @Override
  public Boolean run(PartitionContext context) throws Exception {
    if (!target.equals(context.executor())) {
      // Another executor's copy holds none of the target's instances or partitions.
      return false;
    }
    int released = context.releaseJobState();
    int dropped = ParkedAfterCommitWork.IN_THIS_PROCESS.dropJob(context.jobId());
    LOG.info("Executor {} released {} partitions of job {} ({} after-commit callbacks of failed "
        + "batches dropped)", context.executor(), released, context.jobId(), dropped);
    // Tasks on this executor read the broadcast's one cached copy, so this is the copy whose
    // DoFn pools hold this executor's instances.
    program.value().closeOperators();
    return true;
  }
}
