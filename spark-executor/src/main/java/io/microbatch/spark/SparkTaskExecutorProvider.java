package io.microbatch.spark;

import io.microbatch.engine.exec.TaskExecutor;
import io.microbatch.engine.exec.TaskExecutorProvider;
import java.nio.file.Path;
import java.util.UUID;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkContext$;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Option;

/**
 * {@code --executor=spark}: uses the running {@link SparkContext} (the pipeline's main class was
 * {@code spark-submit}ted, or an application started one), else starts one from {@code
 * --sparkMaster} or Spark's own configuration, and stops only a context it started.
 */
public final class SparkTaskExecutorProvider implements TaskExecutorProvider {
  private static final Logger LOG = LoggerFactory.getLogger(SparkTaskExecutorProvider.class);

  @Override
  public String name() {
    return "spark";
  }

  @Override
  public TaskExecutor create(PipelineOptions options, int parallelism) {
    SparkExecutorOptions spark = options.as(SparkExecutorOptions.class);
    if (spark.getSparkStateCacheMb() <= 0 || spark.getSparkStateWriteBufferMb() <= 0) {
      throw new IllegalArgumentException(
          "--sparkStateCacheMb and --sparkStateWriteBufferMb must be positive");
    }
    String master = spark.getSparkMaster() == null ? "" : spark.getSparkMaster().trim();
    String stateDir = spark.getSparkStateDir() == null || spark.getSparkStateDir().isBlank()
        ? Path.of(System.getProperty("java.io.tmpdir"), "microbatch-spark-state").toString()
        : spark.getSparkStateDir();
    StateSettings state = new StateSettings(stateDir,
        spark.getSparkStateCacheMb() << 20, spark.getSparkStateWriteBufferMb() << 20);
    String jobId = options.getJobName() + "-" + UUID.randomUUID();
    // getActive is private[spark] in Scala, public in bytecode; Spark has no public "is there a
    // running context" call that does not create one, and we must know whether we own it.
    Option<SparkContext> active = SparkContext$.MODULE$.getActive();
    if (active.isDefined()) {
      SparkContext context = active.get();
      if (!master.isEmpty() && !master.equals(context.master())) {
        throw new IllegalArgumentException("--sparkMaster=" + master + " but this process "
            + "already runs a SparkContext on " + context.master() + " (one per JVM)");
      }
      LOG.info("Running partition tasks on the running SparkContext ({})", context.master());
      return new SparkTaskExecutor(
          JavaSparkContext.fromSparkContext(context), false, state, jobId);
    }
    SparkConf conf = new SparkConf().setAppName(options.getJobName());
    if (!master.isEmpty()) {
      conf.setMaster(master);
    } else if (!conf.contains("spark.master")) {
      throw new IllegalArgumentException("--executor=spark needs --sparkMaster (for example "
          + "spark://host:7077), or spark.master set by spark-submit");
    }
    LOG.info("Starting a SparkContext on {} for partition tasks", conf.get("spark.master"));
    return new SparkTaskExecutor(new JavaSparkContext(conf), true, state, jobId);
  }
}
