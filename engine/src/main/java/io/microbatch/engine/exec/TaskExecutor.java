package io.microbatch.engine.exec;

import java.util.List;
import java.util.concurrent.Callable;

/**
 * Where the engine runs a round's partition tasks and the partition snapshots of a checkpoint.
 * The driver (the batch loop in {@link MicroBatchEngine}) stays in one place; only the tasks move.
 * {@link ThreadPoolTaskExecutor} is the default and runs them on local threads.
 *
 * <p>The engine calls {@link #runAll} from its one driver thread, once per stage and round, and
 * waits for it: a round's stages run one after the other because each consumes what the one
 * before produced. It relies on three things from any implementation:
 *
 * <ul>
 *   <li>results come back in the order of the tasks, one per task, after all of them finished;
 *   <li>a failed task fails the call, with the first failure thrown (later ones suppressed on it),
 *       and only once every task has stopped, because the engine then aborts every partition's
 *       state and a task still writing to it would race the abort;
 *   <li>a partition's tasks never run two at a time (the engine never submits two tasks for one
 *       partition in one call), since a partition's state is used by one thread at a time.
 * </ul>
 *
 * <p><b>What a remote implementation must add</b> (issue #10, see {@code docs/spark-executor.md}).
 * Today's tasks ({@code PartitionTask}) are closures over driver objects: the stage's operator
 * factories, the view store, the partition's open {@code PartitionState}, the batch's metrics
 * container. An executor in another process needs instead, per partition and round:
 *
 * <ul>
 *   <li>a serializable task description: job, stage id, partition, batch id and round, the input
 *       watermark and frozen processing time, and the input itself (a source split, or the
 *       partition's shuffled records and buffered elements, Beam-coder encoded), with the stage's
 *       operator chain shipped once per job rather than per task;
 *   <li>the partition's state location: the keyed state stays open in the process that ran the
 *       partition last (the driver prefers that process), and a process that does not hold it
 *       reopens it from the last checkpoint on the shared file system before running the task;
 *   <li>results back to the driver: the shuffle buckets, buffered and view output, pushed-back
 *       input, output watermark, records read, metric updates and after-commit work (as data
 *       the driver runs, not closures), plus the batch boundary: commit, abort and snapshot of the
 *       partition's state are separate calls the driver makes on the process that holds it.
 * </ul>
 */
public interface TaskExecutor extends AutoCloseable {

  /**
   * Runs every task and returns their results in task order. Waits for all of them; if any failed,
   * throws the first failure (an {@link Exception} or {@link Error}) with the others suppressed.
   */
  <T> List<T> runAll(List<? extends Callable<T>> tasks) throws Exception;

  /** Releases the executor's threads or connections; the engine calls it once, at the end. */
  @Override
  void close();
}
