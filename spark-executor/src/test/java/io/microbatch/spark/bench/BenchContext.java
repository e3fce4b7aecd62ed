package io.microbatch.spark.bench;

import io.microbatch.spark.cluster.LocalSparkCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.apache.spark.scheduler.SparkListenerJobStart;

/**
 * A Spark driver in the benchmark's JVM against a {@link LocalSparkCluster} (all on 127.0.0.1),
 * one 1-core executor per worker, that records when every Spark job started so the benchmark can
 * count the jobs inside a batch, and when it removed a lost executor. The runner's Spark executor picks up this running context.
 */
final class BenchContext implements AutoCloseable {
  final JavaSparkContext spark;
  private final ConcurrentLinkedQueue<Long> jobStarts = new ConcurrentLinkedQueue<>();

  private final ConcurrentLinkedQueue<Long> executorRemovals = new ConcurrentLinkedQueue<>();

  /** {@code localityWait} is Spark's {@code spark.locality.wait}, e.g. {@code 30s}. */
  BenchContext(LocalSparkCluster cluster, String appName, int executors, String executorMemory,
      String localityWait, Path localDir, Duration timeout) throws InterruptedException {
    SparkConf conf = new SparkConf()
        .setMaster(cluster.masterUrl())
        .setAppName(appName)
        .set("spark.driver.host", "127.0.0.1")
        .set("spark.driver.bindAddress", "127.0.0.1")
        .set("spark.ui.enabled", "false")
        .set("spark.local.dir", localDir.toString())
        .set("spark.executor.memory", executorMemory)
        .set("spark.executor.cores", "1")
        .set("spark.cores.max", String.valueOf(executors))
        // A keyed task waits for the executor that holds its state (see docs/spark-executor.md).
        .set("spark.locality.wait", localityWait)
        .set("spark.executor.extraClassPath", cluster.executorClassPath());
    this.spark = new JavaSparkContext(conf);
    spark.sc().addSparkListener(new SparkListener() {
      @Override
      public void onJobStart(SparkListenerJobStart jobStart) {
        jobStarts.add(jobStart.time());
      }

      @Override
      public void onExecutorRemoved(SparkListenerExecutorRemoved removed) {
        executorRemovals.add(removed.time());
      }
    });
    long deadline = System.nanoTime() + timeout.toNanos();
    // The driver counts itself among the executor infos.
    while (spark.sc().statusTracker().getExecutorInfos().length - 1 < executors) {
      if (System.nanoTime() > deadline) {
        close();
        throw new IllegalStateException("Fewer than " + executors + " executors registered within "
            + timeout + "; see the worker logs in " + cluster.logDirectory());
      }
      Thread.sleep(50);
    }
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
    spark.stop();
  }
}
