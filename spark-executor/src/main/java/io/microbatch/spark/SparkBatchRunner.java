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
    List<Tuple2<PartitionTaskDescription, Seq<String>>> items = new ArrayList<>(partitions);
    for (int p = 0; p < partitions; p++) {
      PartitionTaskDescription description =
          new PartitionTaskDescription(jobId, stageId, p, batchId, state, tasks.apply(p));
      List<String> preferred =
          preferLastExecutor ? placement.preferredLocations(stageId, p) : List.of();
      items.add(new Tuple2<>(description, CollectionConverters.asScala(preferred).toSeq()));
    }
    spark.setJobDescription("batch " + batchId + " stage " + stageId);
    RDD<PartitionTaskDescription> rdd =
        spark.sc().makeRDD(CollectionConverters.asScala(items).toSeq(), DESCRIPTION);
    List<PartitionResult<Serializable>> collected =
        JavaRDD.fromRDD(rdd, DESCRIPTION).map(new RunOnExecutor()).collect();
    List<PartitionResult<R>> results = new ArrayList<>(collected.size());
    for (PartitionResult<Serializable> result : collected) {
      @SuppressWarnings("unchecked") // The task of this partition produced an R.
      PartitionResult<R> typed = (PartitionResult<R>) (PartitionResult<?>) result;
      results.add(typed);
      placement.ranOn(stageId, result.partition(), result.executor());
    }
    results.sort(Comparator.comparingInt(PartitionResult::partition));
    return results;
  }
}
