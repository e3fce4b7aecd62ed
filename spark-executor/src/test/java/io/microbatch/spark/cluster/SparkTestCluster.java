package io.microbatch.spark.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Test fixture for the tests and benchmarks that run the Spark executor on a real standalone
 * cluster: a {@link LocalSparkCluster} of child JVMs and a Spark driver in this JVM, all on
 * 127.0.0.1, started with the settings they share and returned only once every worker's executor
 * registered; {@link #options} gives the runner's options for a run on either executor. The
 * driver's context is the one the runner's Spark executor picks up. {@link #close()} stops the
 * driver before the cluster.
 *
 * <p>A test starts both with {@link Builder#start(String)}. A benchmark that runs several Spark
 * applications one after the other on the same cluster uses {@link Builder#startCluster()}, then
 * {@link #startDriver} and {@link #stopDriver()} for each.
 */
public final class SparkTestCluster implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SparkTestCluster.class);

  private final LocalSparkCluster cluster;
  private final Builder settings;
  private JavaSparkContext spark;
  private Duration contextStart;
  private Duration executorRegistration;

  private SparkTestCluster(LocalSparkCluster cluster, Builder settings) {
    this.cluster = cluster;
    this.settings = settings;
  }

  /** Settings for a cluster whose files (logs, driver and executor state) go under {@code root}. */
  public static Builder builder(Path root) {
    return new Builder(root);
  }

  /** What to start; the defaults are the tests' cluster. */
  public static final class Builder {
    private final Path root;
    private int workers = 2;
    private int coresPerWorker = 2;
    private int workerMemoryMb = 1024;
    private Duration timeout = Duration.ofSeconds(120);
    private String executorMemory = "512m";
    private String localityWait = "30s";
    private boolean benchmarkExecutors;
    private Path driverLocalDir;
    private Path stateDir;

    private Builder(Path root) {
      this.root = root;
      this.driverLocalDir = root.resolve("driver-local");
      this.stateDir = root.resolve("executor-state");
    }

    /** Workers of the cluster, one executor each (default 2). */
    public Builder workers(int workers) {
      this.workers = workers;
      return this;
    }

    /** Cores each worker offers (default 2). */
    public Builder coresPerWorker(int cores) {
      this.coresPerWorker = cores;
      return this;
    }

    /** Memory each worker offers its executor (default 1024 MiB). */
    public Builder workerMemoryMb(int megabytes) {
      this.workerMemoryMb = megabytes;
      return this;
    }

    /** How long the workers, and then the executors, may take to register (default 120 s). */
    public Builder timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    /**
     * Spark's {@code spark.locality.wait} for {@link #start} and {@link
     * SparkTestCluster#sparkSettings()}. The default of 30 s: a keyed task that waited less for
     * its busy holder would be offered to another executor and refuse to run there, failing the
     * batch (see docs/spark-executor.md); a loaded machine needs room.
     */
    public Builder localityWait(String localityWait) {
      this.localityWait = localityWait;
      return this;
    }

    /**
     * For benchmarks: one 1-core executor per worker with {@code executorMemory}, and Spark's
     * logging in the executors left at the classpath's level, so figures are not measured with
     * the tests' INFO logging.
     */
    public Builder benchmarkExecutors(String executorMemory) {
      this.executorMemory = executorMemory;
      this.benchmarkExecutors = true;
      return this;
    }

    /** Where the driver's scratch files go (default {@code root/driver-local}). */
    public Builder driverLocalDir(Path dir) {
      this.driverLocalDir = dir;
      return this;
    }

    /** The executors' {@code --sparkStateDir} (default {@code root/executor-state}). */
    public Builder stateDir(Path dir) {
      this.stateDir = dir;
      return this;
    }

    /** Starts the cluster and a driver named {@code appName}. */
    public SparkTestCluster start(String appName) throws IOException, InterruptedException {
      SparkTestCluster fixture = startCluster();
      try {
        fixture.startDriver(appName, localityWait);
      } catch (RuntimeException | Error | InterruptedException e) {
        fixture.close();
        throw e;
      }
      return fixture;
    }

    /** Starts the cluster alone: a driver comes later by {@link SparkTestCluster#startDriver}. */
    public SparkTestCluster startCluster() throws IOException, InterruptedException {
      return new SparkTestCluster(
          LocalSparkCluster.start(root, workers, coresPerWorker, workerMemoryMb, timeout), this);
    }
  }

  /**
   * The Spark settings of this fixture's driver, without master and application name: also what
   * a test gives as {@code spark.*} system properties to a context the runner starts itself.
   */
  public Map<String, String> sparkSettings() {
    return sparkSettings(settings.localityWait);
  }

  private Map<String, String> sparkSettings(String localityWait) {
    Map<String, String> conf = new LinkedHashMap<>();
    conf.put("spark.driver.host", "127.0.0.1");
    conf.put("spark.driver.bindAddress", "127.0.0.1");
    conf.put("spark.ui.enabled", "false");
    conf.put("spark.local.dir", settings.driverLocalDir.toString());
    conf.put("spark.executor.memory", settings.executorMemory);
    conf.put("spark.locality.wait", localityWait);
    // No Spark installation on the workers: executors load everything from the test classpath.
    conf.put("spark.executor.extraClassPath", cluster.executorClassPath());
    if (settings.benchmarkExecutors) {
      conf.put("spark.executor.cores", "1");
      conf.put("spark.cores.max", String.valueOf(settings.workers));
    } else {
      conf.put("spark.executor.extraJavaOptions",
          "-Dorg.slf4j.simpleLogger.log.org.apache.spark=info");
    }
    return conf;
  }

  /**
   * Starts a driver (the JVM's one Spark context) and waits until every worker's executor
   * registered. {@code localityWait} is Spark's {@code spark.locality.wait}, e.g. {@code 30s}.
   */
  public JavaSparkContext startDriver(String appName, String localityWait)
      throws InterruptedException {
    if (spark != null) {
      throw new IllegalStateException("A driver is running already: stop it first");
    }
    SparkConf conf = new SparkConf().setMaster(cluster.masterUrl()).setAppName(appName);
    sparkSettings(localityWait).forEach(conf::set);
    long begin = System.nanoTime();
    spark = new JavaSparkContext(conf);
    long started = System.nanoTime();
    contextStart = Duration.ofNanos(started - begin);
    long deadline = started + settings.timeout.toNanos();
    // The driver counts itself among the executor infos.
    while (spark.sc().statusTracker().getExecutorInfos().length - 1 < settings.workers) {
      if (System.nanoTime() > deadline) {
        stopDriver();
        throw new IllegalStateException("Fewer than " + settings.workers + " executors "
            + "registered within " + settings.timeout + "; see the worker logs in "
            + cluster.logDirectory());
      }
      Thread.sleep(50);
    }
    executorRegistration = Duration.ofNanos(System.nanoTime() - started);
    LOG.info("Spark context started in {} ms, {} executors registered {} ms later",
        contextStart.toMillis(), settings.workers, executorRegistration.toMillis());
    return spark;
  }

  /** Stops the running driver, if any; the cluster stays up for the next one. */
  public void stopDriver() {
    if (spark != null) {
      try {
        spark.stop();
      } finally {
        spark = null;
      }
    }
  }

  /** The running driver's context. */
  public JavaSparkContext spark() {
    if (spark == null) {
      throw new IllegalStateException("No driver is running");
    }
    return spark;
  }

  public LocalSparkCluster cluster() {
    return cluster;
  }

  /** How long the last driver's context took to start. */
  public Duration contextStart() {
    return contextStart;
  }

  /** How long after its context started the last driver's executors had all registered. */
  public Duration executorRegistration() {
    return executorRegistration;
  }

  /** {@code --sparkMaster} and {@code --sparkStateDir} for a run on this cluster. */
  public List<String> sparkArgs() {
    return List.of("--sparkMaster=" + cluster.masterUrl(), "--sparkStateDir=" + settings.stateDir);
  }

  /**
   * Options of a {@code MicroBatchRunner} run on {@code executor} ({@code local} or {@code
   * spark}) with parallelism 4 and {@code extra}; a Spark run also gets this cluster's master and
   * the fixture's state directory unless {@code extra} names another.
   */
  public PipelineOptions options(String executor, String jobName, String... extra) {
    List<String> args = runnerArgs(executor, jobName, extra);
    if (executor.equals("spark")) {
      args.add("--sparkMaster=" + cluster.masterUrl());
      if (args.stream().noneMatch(arg -> arg.startsWith("--sparkStateDir="))) {
        args.add("--sparkStateDir=" + settings.stateDir);
      }
    }
    return PipelineOptionsFactory.fromArgs(args.toArray(String[]::new)).create();
  }

  /** {@link #options} for a run on the local executor, where no cluster was started. */
  public static PipelineOptions localOptions(String jobName, String... extra) {
    return PipelineOptionsFactory
        .fromArgs(runnerArgs("local", jobName, extra).toArray(String[]::new)).create();
  }

  private static List<String> runnerArgs(String executor, String jobName, String... extra) {
    List<String> args = new ArrayList<>(List.of("--runner=MicroBatchRunner",
        "--executor=" + executor, "--parallelism=4", "--jobName=" + jobName));
    args.addAll(List.of(extra));
    return args;
  }

  /** Stops the driver, then the cluster (workers first, see {@link LocalSparkCluster#close()}). */
  @Override
  public void close() {
    try {
      stopDriver();
    } finally {
      cluster.close();
    }
  }

  /** Removes what an earlier run left in {@code root}: its output would mix with this run's. */
  public static void deleteRecursively(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
