package io.microbatch.spark.bench;

import io.microbatch.spark.cluster.SparkTestCluster;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.apache.spark.scheduler.SparkListenerJobStart;

/**
 * One benchmark application: a driver started on a {@link SparkTestCluster} (which the runner's
 * Spark executor picks up) that records when every Spark job started, so the benchmark can count
 * the jobs inside a batch, and when it removed a lost executor. Closing it stops the driver and
 * leaves the cluster up for the next application.
 */
final class BenchContext implements AutoCloseable {
  private final SparkTestCluster cluster;
  private final ConcurrentLinkedQueue<Long> jobStarts = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Long> executorRemovals = new ConcurrentLinkedQueue<>();

  /** {@code localityWait} is Spark's {@code spark.locality.wait}, e.g. {@code 30s}. */
  BenchContext(SparkTestCluster cluster, String appName, String localityWait)
      throws InterruptedException {
    this.cluster = cluster;
    cluster.startDriver(appName, localityWait).sc().addSparkListener(new SparkListener() {
      @Override
      public void onJobStart(SparkListenerJobStart jobStart) {
        jobStarts.add(jobStart.time());
      }

      @Override
      public void onExecutorRemoved(SparkListenerExecutorRemoved removed) {
        executorRemovals.add(removed.time());
      }
    });
  }

  /** Start times (epoch millis) of the Spark jobs submitted so far. */
  List<Long> jobStartMillis() {
    return new ArrayList<>(jobStarts);
  }

  /** When (epoch millis) the driver removed an executor, in order. */
  List<Long> executorRemovalMillis() {
    return new ArrayList<>(executorRemovals);
  }

  @Override
  public void close() {
    cluster.stopDriver();
  }
}
