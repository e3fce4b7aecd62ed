package io.microbatch.spark;

import io.microbatch.spark.cluster.LocalSparkCluster;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Spark driver in the test JVM against a {@link LocalSparkCluster}, all on 127.0.0.1, that
 * waits until the expected executors registered and remembers how long that took.
 */
final class SparkTestDriver implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SparkTestDriver.class);

  final JavaSparkContext spark;
  final Duration contextStart;
  final Duration executorRegistration;

  SparkTestDriver(LocalSparkCluster cluster, String appName, int executors, Path localDir,
      Duration timeout) throws InterruptedException {
    this(cluster, appName, executors, localDir, timeout, java.util.Map.of());
  }

  /** {@code extraConf} adds or overrides Spark settings. */
  SparkTestDriver(LocalSparkCluster cluster, String appName, int executors, Path localDir,
      Duration timeout, java.util.Map<String, String> extraConf) throws InterruptedException {
    SparkConf conf = new SparkConf()
        .setMaster(cluster.masterUrl())
        .setAppName(appName)
        .set("spark.driver.host", "127.0.0.1")
        .set("spark.driver.bindAddress", "127.0.0.1")
        .set("spark.ui.enabled", "false")
        .set("spark.local.dir", localDir.toString())
        .set("spark.executor.memory", "512m")
        // No Spark installation on the workers: executors load everything from the test classpath.
        .set("spark.executor.extraClassPath", cluster.executorClassPath())
        .set("spark.executor.extraJavaOptions", "-Dorg.slf4j.simpleLogger.log.org.apache.spark=info");
    extraConf.forEach(conf::set);
    long begin = System.nanoTime();
    this.spark = new JavaSparkContext(conf);
    long started = System.nanoTime();
    this.contextStart = Duration.ofNanos(started - begin);
    long deadline = started + timeout.toNanos();
    // The driver counts itself among the executor infos.
    while (spark.sc().statusTracker().getExecutorInfos().length - 1 < executors) {
      if (System.nanoTime() > deadline) {
        close();
        throw new IllegalStateException("Fewer than " + executors + " executors registered within "
            + timeout + "; see the worker logs in " + cluster.logDirectory());
      }
      Thread.sleep(50);
    }
    this.executorRegistration = Duration.ofNanos(System.nanoTime() - started);
    LOG.info("Spark context started in {} ms, {} executors registered {} ms later",
        contextStart.toMillis(), executors, executorRegistration.toMillis());
  }

  @Override
  public void close() {
    spark.stop();
  }
}
