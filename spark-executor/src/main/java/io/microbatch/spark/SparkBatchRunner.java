package io.microbatch.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntFunction;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.rdd.RDD;
import scala.Tuple2;
import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * Driver side: runs one batch of one stage, {@code n} partition tasks, as one Spark job, each
 * partition preferring the executor that ran it last ({@link PartitionPlacement}), and returns
 * the results in partition order. The job's RDD has one partition per task, built with {@code
 * SparkContext.makeRDD}'s per-element preferred locations, so no custom RDD class is needed.
 */
public final class SparkBatchRunner {
  private static final ClassTag<PartitionTaskDescription> DESCRIPTION =
      ClassTag$.MODULE$.apply(PartitionTaskDescription.class);

  private final JavaSparkContext spark;
  private final String jobId;
  private final StateSettings state;
  private final PartitionPlacement placement;
  private final boolean preferLastExecutor;

  /**
   * @param jobId names the job's state on the executors (one RocksDB backend per job)
   * @param preferLastExecutor false turns placement off (every task may run anywhere), for
   *     comparison
   */
  public SparkBatchRunner(JavaSparkContext spark, String jobId, StateSettings state,
      boolean preferLastExecutor) {
    this.spark = spark;
    this.jobId = jobId;
    this.state = state;
    this.placement = new PartitionPlacement();
    this.preferLastExecutor = preferLastExecutor;
  }

  /** Where partitions ran so far, and how often they stayed put. */
  public PartitionPlacement placement() {
    return placement;
  }

  /**
   * Runs {@code partitions} tasks of {@code stageId} for batch {@code batchId}, the task of
   * partition {@code p} being {@code tasks.apply(p)}, and waits for all of them.
   */
  public <R extends Serializable> List<PartitionResult<R>> runBatch(
      String stageId, long batchId, int partitions, IntFunction<RemotePartitionTask<R>> tasks) {
    List<PlacedTask<R>> placed = new ArrayList<>(partitions);
    for (int p = 0; p < partitions; p++) {
      placed.add(new PlacedTask<>(stageId, p, true, tasks.apply(p)));
    }
    List<PartitionResult<R>> results =
        runJob(batchId, "batch " + batchId + " stage " + stageId, placed);
    results.sort(Comparator.comparingInt(PartitionResult::partition));
    return results;
  }

  /**
   * One task of a job: its partition of a stage, and whether it is pinned (prefers the executor
   * that ran the partition last, because that executor holds its state) and recorded in the
   * placement; an unpinned task (a source split, buffered elements) may run anywhere.
   */
  public record PlacedTask<R extends Serializable>(
      String stageId, int partition, boolean pinned, RemotePartitionTask<R> task,
      ExecutorLocation target) {

    public PlacedTask(
        String stageId, int partition, boolean pinned, RemotePartitionTask<R> task) {
      this(stageId, partition, pinned, task, null);
    }

    /** A task meant for one executor (not for a partition's holder), e.g. per-executor cleanup. */
    public static <R extends Serializable> PlacedTask<R> on(
        ExecutorLocation target, String name, int index, RemotePartitionTask<R> task) {
      return new PlacedTask<>(name, index, false, task, target);
    }
  }

  /**
   * Runs the tasks as one Spark job, one RDD partition each, and returns their results in the
   * order of {@code tasks}.
   */
  public <R extends Serializable> List<PartitionResult<R>> runJob(
      long batchId, String jobDescription, List<PlacedTask<R>> tasks) {
    return run(batchId, jobDescription, tasks, true);
  }

  /**
   * Like {@link #runJob}, for calls on the state of partitions (commit, abort, release): pinned
   * tasks prefer the holder, but where they ran is not recorded as a run of the partition.
   */
  public <R extends Serializable> List<PartitionResult<R>> runStateJob(
      long batchId, String jobDescription, List<PlacedTask<R>> tasks) {
    return run(batchId, jobDescription, tasks, false);
  }

  private <R extends Serializable> List<PartitionResult<R>> run(
      long batchId, String jobDescription, List<PlacedTask<R>> tasks, boolean recordRuns) {
    List<Tuple2<PartitionTaskDescription, Seq<String>>> items = new ArrayList<>(tasks.size());
    for (PlacedTask<R> task : tasks) {
      PartitionTaskDescription description = new PartitionTaskDescription(
          jobId, task.stageId(), task.partition(), batchId, state, task.task());
      List<String> preferred = task.target() != null
          ? List.of(task.target().taskLocation())
          : preferLastExecutor && task.pinned()
              ? placement.preferredLocations(task.stageId(), task.partition())
              : List.of();
      items.add(new Tuple2<>(description, CollectionConverters.asScala(preferred).toSeq()));
    }
    // The run's jobs form one group, so a lost holder can cancel the running one at once.
    spark.setJobGroup(jobId, jobDescription, false);
    // Lets the run's listener tell its jobs' tasks from other jobs' in a shared context.
    spark.setLocalProperty(RunExecutorsListener.RUN_PROPERTY, jobId);
    RDD<PartitionTaskDescription> rdd =
        spark.sc().makeRDD(CollectionConverters.asScala(items).toSeq(), DESCRIPTION);
    // makeRDD gives every item its own RDD partition, in order, and collect keeps that order.
    List<PartitionResult<Serializable>> collected =
        JavaRDD.fromRDD(rdd, DESCRIPTION).map(new RunOnExecutor()).collect();
    List<PartitionResult<R>> results = new ArrayList<>(collected.size());
    for (int i = 0; i < collected.size(); i++) {
      PartitionResult<Serializable> result = collected.get(i);
      @SuppressWarnings("unchecked") // The task of this partition produced an R.
      PartitionResult<R> typed = (PartitionResult<R>) (PartitionResult<?>) result;
      results.add(typed);
      if (recordRuns && tasks.get(i).pinned()) {
        placement.ranOn(tasks.get(i).stageId(), result.partition(), result.executor());
      }
    }
    return results;
  }
}
