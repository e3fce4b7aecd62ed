package io.microbatch.spark;

import io.microbatch.engine.exec.RemoteProgram;
import io.microbatch.engine.exec.RemoteTask;
import io.microbatch.engine.exec.RemoteTaskResult;
import io.microbatch.engine.exec.RemoteTaskRunner;
import io.microbatch.state.PartitionState;
import org.apache.spark.TaskContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * One engine partition task on a Spark executor: the job's program comes from a broadcast (read
 * once per executor), the task's own input travels with it. A keyed task refuses to run anywhere
 * but on the executor that holds its partition's state, and refuses to be retried, rather than
 * run on empty or half-written state. Work the task registers to run after its batch commits
 * stays in this process ({@link ParkedAfterCommitWork}) until the driver's after-commit call.
 */
final class EngineTask implements RemotePartitionTask<RemoteTaskResult> {
  private static final long serialVersionUID = 1L;

  private final Broadcast<RemoteProgram> program;
  private final RemoteTask task;
  /** The executor holding the keyed partition's state, or null before its first run. */
  private final ExecutorLocation holder;

  EngineTask(Broadcast<RemoteProgram> program, RemoteTask task, ExecutorLocation holder) {
    this.program = program;
    this.task = task;
    this.holder = holder;
  }

  @Override
  public RemoteTaskResult run(PartitionContext context) throws Exception {
    PartitionState state = null;
    if (task.keyed()) {
      String partition = "partition " + task.partition() + " of " + task.stateName();
      TaskContext spark = TaskContext.get();
      if (spark != null && spark.attemptNumber() > 0) {
        // The first attempt may have written to the partition's uncommitted state already.
        throw new IllegalStateException("Keyed task of " + partition + " is not retried: "
            + "its first attempt failed and may have changed the partition's state");
      }
      if (holder != null && !holder.equals(context.executor())) {
        throw new IllegalStateException(partition + " is held by executor " + holder
            + " but its task ran on " + context.executor() + "; moving a partition needs "
            + "recovery from a checkpoint, which the Spark executor does not do yet");
      }
      state = context.state();
      if (context.stateOpened()) {
        if (holder != null) {
          throw new IllegalStateException(partition + " should be open on executor " + holder
              + " but is not; its state is lost");
        }
        RemoteTaskRunner.prepareOpenedState(program.value(), task.stageId(), state);
      }
    }
    RemoteTaskResult result;
    try {
      result = RemoteTaskRunner.run(program.value(), task, state);
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable e) {
      // Returned, not thrown: Spark would retry the attempt, and a keyed retry is refused,
      // which would hide the user's exception behind the refusal.
      return RemoteTaskResult.failed(e);
    }
    // Parked only once the task succeeded: a failed attempt's work must never run.
    ParkedAfterCommitWork.IN_THIS_PROCESS.park(
        context.jobId(), context.batchId(), result.takeAfterCommit());
    return result;
  }
}
