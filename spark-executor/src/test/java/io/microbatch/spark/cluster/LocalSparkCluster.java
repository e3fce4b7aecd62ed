package io.microbatch.spark.cluster;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.launcher.JavaModuleOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Spark standalone cluster on 127.0.0.1 made of child JVMs: one master and {@code workers}
 * workers, each started from this JVM's (Maven test) classpath, without a Spark installation.
 *
 * <p>Each worker gets a {@code SPARK_HOME} whose {@code jars/} is empty: a worker builds its
 * executors' command line from {@code $SPARK_HOME/jars/*} and refuses to start them without that
 * directory, so the executors' classes must come from the driver's {@code
 * spark.executor.extraClassPath} ({@link #executorClassPath()}). The output of the master, the
 * workers and (in each worker's work directory) the executors stays under {@link #logDirectory()}.
 *
 * <p>{@link #close()} stops the workers (whose shutdown kills their executors), then the master,
 * and finally any descendant process that is still alive.
 */
public final class LocalSparkCluster implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalSparkCluster.class);
  private static final String HOST = "127.0.0.1";
  private static final Pattern ALIVE_WORKERS = Pattern.compile("\"aliveworkers\"\\s*:\\s*(\\d+)");
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);

  private final Path root;
  private final String classPath;
  private final List<Process> processes = new ArrayList<>();
  private final List<ProcessHandle> started = new ArrayList<>();
  private final String masterUrl;
  private final int masterWebPort;
  private final int workers;
  private final Duration startupTime;

  private LocalSparkCluster(Path root, int workers, int coresPerWorker, int workerMemoryMb,
      Duration timeout) throws IOException, InterruptedException {
    this.root = root;
    this.workers = workers;
    this.classPath = testClassPath();
    long begin = System.nanoTime();
    int masterPort = freePort();
    this.masterWebPort = freePort();
    this.masterUrl = "spark://" + HOST + ":" + masterPort;
    Files.createDirectories(root);
    Path sparkHome = root.resolve("spark-home");
    // Empty on purpose: the worker insists on the directory, the classes come from extraClassPath.
    Files.createDirectories(sparkHome.resolve("jars"));
    try {
      start("master", sparkHome, List.of("org.apache.spark.deploy.master.Master",
          "--host", HOST, "--port", String.valueOf(masterPort),
          "--webui-port", String.valueOf(masterWebPort)));
      for (int w = 1; w <= workers; w++) {
        Path workDir = root.resolve("worker-" + w);
        Files.createDirectories(workDir);
        start("worker-" + w, sparkHome, List.of("org.apache.spark.deploy.worker.Worker",
            "--host", HOST, "--port", String.valueOf(freePort()),
            "--webui-port", String.valueOf(freePort()),
            "--cores", String.valueOf(coresPerWorker), "--memory", workerMemoryMb + "m",
            "--work-dir", workDir.toString(), masterUrl));
      }
      awaitWorkers(timeout);
    } catch (IOException | InterruptedException | RuntimeException | Error e) {
      close();
      throw e;
    }
    this.startupTime = Duration.ofNanos(System.nanoTime() - begin);
    LOG.info("Spark cluster {} with {} workers up in {} ms; logs in {}", masterUrl, workers,
        startupTime.toMillis(), root);
  }

  /**
   * Starts a master and {@code workers} workers with {@code coresPerWorker} cores and {@code
   * workerMemoryMb} MiB each, their files under {@code root}, and waits up to {@code timeout} until
   * every worker registered with the master.
   */
  public static LocalSparkCluster start(Path root, int workers, int coresPerWorker,
      int workerMemoryMb, Duration timeout) throws IOException, InterruptedException {
    return new LocalSparkCluster(root, workers, coresPerWorker, workerMemoryMb, timeout);
  }

  /** {@code spark://127.0.0.1:<port>}. */
  public String masterUrl() {
    return masterUrl;
  }

  /** Where the child JVMs' output and the workers' work directories (executor logs) are. */
  public Path logDirectory() {
    return root;
  }

  /** From the first process start until every worker had registered. */
  public Duration startupTime() {
    return startupTime;
  }

  /** The classpath the cluster's JVMs run with; the driver passes it to its executors. */
  public String executorClassPath() {
    return classPath;
  }

  /** How many workers the master counts as alive right now. */
  public int aliveWorkers() throws IOException, InterruptedException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest request = HttpRequest.newBuilder(
        URI.create("http://" + HOST + ":" + masterWebPort + "/json/"))
        .timeout(Duration.ofSeconds(5)).build();
    String body = client.send(request, HttpResponse.BodyHandlers.ofString()).body();
    Matcher m = ALIVE_WORKERS.matcher(body);
    return m.find() ? Integer.parseInt(m.group(1)) : 0;
  }

  private void awaitWorkers(Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    int alive = 0;
    while (System.nanoTime() < deadline) {
      for (int i = 0; i < processes.size(); i++) {
        if (!processes.get(i).isAlive()) {
          throw new IllegalStateException("Spark process " + (i == 0 ? "master" : "worker-" + i)
              + " exited with " + processes.get(i).exitValue() + "; see its log in " + root);
        }
      }
      try {
        alive = aliveWorkers();
      } catch (IOException e) {
        // The master's web UI is not listening yet.
      }
      if (alive >= workers) {
        return;
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException(alive + " of " + workers + " Spark workers registered within "
        + timeout + "; see the logs in " + root);
  }

  private void start(String name, Path sparkHome, List<String> mainAndArgs) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    // The same module openings spark-submit gives its JVMs on Java 17.
    command.addAll(List.of(JavaModuleOptions.defaultModuleOptionArray()));
    // Child JVMs log Spark at INFO (the test's simplelogger.properties keeps it at WARN).
    command.add("-Dorg.slf4j.simpleLogger.log.org.apache.spark=info");
    command.add("-cp");
    command.add(classPath);
    command.addAll(mainAndArgs);
    ProcessBuilder builder = new ProcessBuilder(command)
        .directory(root.toFile())
        .redirectErrorStream(true)
        .redirectOutput(root.resolve(name + ".log").toFile());
    Map<String, String> env = builder.environment();
    env.put("SPARK_HOME", sparkHome.toString());
    env.put("SPARK_SCALA_VERSION", "2.13");
    env.put("SPARK_LOCAL_IP", HOST);
    env.put("SPARK_LOCAL_HOSTNAME", HOST);
    env.put("JAVA_HOME", System.getProperty("java.home"));
    Process process = builder.start();
    processes.add(process);
    started.add(process.toHandle());
    LOG.debug("Started Spark {} as pid {}", name, process.pid());
  }

  /**
   * Stops the workers first (a worker kills its executors when it stops), then the master, then
   * whatever descendant of them is still alive.
   */
  @Override
  public void close() {
    List<ProcessHandle> descendants = new ArrayList<>();
    for (ProcessHandle handle : started) {
      handle.descendants().forEach(descendants::add);
    }
    for (int i = processes.size() - 1; i >= 0; i--) {
      stop(processes.get(i).toHandle());
    }
    for (ProcessHandle descendant : descendants) {
      stop(descendant);
    }
    processes.clear();
    started.clear();
  }

  private static void stop(ProcessHandle handle) {
    if (!handle.isAlive()) {
      return;
    }
    handle.destroy();
    try {
      handle.onExit().get(STOP_TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      LOG.warn("Spark process {} did not stop within {}; killing it", handle.pid(), STOP_TIMEOUT);
      handle.destroyForcibly();
    }
  }

  /**
   * Surefire runs tests from a manifest-only jar, so {@code java.class.path} names only that jar;
   * the real test classpath is in {@code surefire.test.class.path}.
   */
  private static String testClassPath() {
    String surefire = System.getProperty("surefire.test.class.path");
    String cp = surefire != null && !surefire.isBlank()
        ? surefire : System.getProperty("java.class.path");
    List<String> entries = new ArrayList<>();
    for (String entry : cp.split(File.pathSeparator)) {
      if (!entry.isBlank()) {
        entries.add(Path.of(entry).toAbsolutePath().toString());
      }
    }
    return String.join(File.pathSeparator, entries);
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
