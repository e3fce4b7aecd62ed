package io.microbatch.spark;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.apache.spark.TaskContext;

/**
 * Runs, on the executor where a batch's tasks left it, the batch's after-commit work, once the
 * driver committed the batch. Returns null if every callback ran, else the first failure's stack
 * trace (as text: the driver then fails the pipeline with it, as the local engine does). The
 * call must run on that executor and only once: elsewhere there is no work to run, and a retry
 * would find the work already taken, so both fail the task instead of reporting success.
 */
final class AfterCommitCall implements RemotePartitionTask<String> {
  private static final long serialVersionUID = 1L;

  private final ExecutorLocation target;
  private final long batch;

  AfterCommitCall(ExecutorLocation target, long batch) {
    this.target = target;
    this.batch = batch;
  }

  @Override
  public String run(PartitionContext context) {
    TaskContext spark = TaskContext.get();
    if (spark != null && spark.attemptNumber() > 0) {
      throw new IllegalStateException("After-commit work of batch " + batch + " on " + target
          + " is not retried: its first attempt took it");
    }
    if (!target.equals(context.executor())) {
      throw new IllegalStateException("After-commit work of batch " + batch + " is held by "
          + "executor " + target + " but its call ran on " + context.executor());
    }
    List<Runnable> callbacks = ParkedAfterCommitWork.IN_THIS_PROCESS.take(context.jobId(), batch);
    for (Runnable callback : callbacks) {
      try {
        callback.run();
      } catch (RuntimeException e) {
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        return trace.toString();
      }
    }
    return null;
  }
}
