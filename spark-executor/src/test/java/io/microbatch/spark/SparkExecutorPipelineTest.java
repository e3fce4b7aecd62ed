package io.microbatch.spark;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;

import io.microbatch.spark.cluster.SparkTestCluster;
import io.microbatch.spark.pipelines.DifferentialPipelines;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.values.KV;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue #10, step 1 end to end: ordinary Beam pipelines run through {@code MicroBatchRunner} once
 * with the local executor and once with {@code --executor=spark} on a real two-worker standalone
 * cluster of child JVMs, and must write the same lines. The output files also tell which process
 * and Spark executor wrote them: with Spark, none may come from the driver, and both executors
 * must have taken part over the class's runs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SparkExecutorPipelineTest {
  private static final Logger LOG = LoggerFactory.getLogger(SparkExecutorPipelineTest.class);
  private static final Path ROOT =
      Path.of("target", "spark-cluster", "SparkExecutorPipelineTest").toAbsolutePath();
  private static final long DRIVER_PID = ProcessHandle.current().pid();

  private final Set<String> sparkExecutorsSeen = new TreeSet<>();
  private final Map<String, String> figures = new LinkedHashMap<>();
  private SparkTestCluster cluster;
  private int runs;

  @BeforeAll
  void startCluster() throws Exception {
    SparkTestCluster.deleteRecursively(ROOT.resolve("output"));
    cluster = SparkTestCluster.builder(ROOT).start("SparkExecutorPipelineTest");
  }

  @AfterAll
  void stopCluster() throws IOException {
    if (cluster != null) {
      cluster.close();
    }
    List<String> lines = new ArrayList<>();
    figures.forEach((name, value) -> lines.add(name + ": " + value));
    Files.write(Path.of("target", "spark-executor-pipeline-figures.txt"), lines);
  }

  @Test
  void wordCountMatchesTheLocalExecutor() throws Exception {
    Output spark = differential("wordCount", DifferentialPipelines::wordCount);
    // 400 lines of 8 words, counted by a user counter inside the executors.
    assertThat(spark.metrics().entrySet().stream()
        .filter(e -> e.getKey().startsWith("counter ") && e.getKey().contains("words"))
        .map(Map.Entry::getValue).toList(), equalTo(List.of("3200")));
  }

  @Test
  void windowedGroupByKeyMatchesTheLocalExecutor() throws Exception {
    differential("windowedGroupByKey", DifferentialPipelines::windowedGroupByKey);
  }

  @Test
  void statefulDoFnWithEventTimeTimersMatchesTheLocalExecutor() throws Exception {
    differential("statefulWithTimers", DifferentialPipelines::statefulWithTimers);
  }

  @Test
  void sideInputMatchesTheLocalExecutor() throws Exception {
    differential("sideInput", DifferentialPipelines::sideInput);
  }

  @Test
  void flattenMatchesTheLocalExecutor() throws Exception {
    differential("flatten", DifferentialPipelines::flatten);
  }

  /**
   * Beam's own file sink in batch mode (WriteFiles: temporary files per bundle, then a finalizing
   * step that renames them), on the executors' shared local disk.
   */
  @Test
  void textIoWriteMatchesTheLocalExecutor() throws Exception {
    List<String> local = runTextIo("local");
    List<String> spark = runTextIo("spark");
    assertThat(local, hasSize(500));
    assertThat(spark, equalTo(local));
  }

  private List<String> runTextIo(String executor) throws IOException {
    Path out = ROOT.resolve("output").resolve("textIo-" + executor + "-" + (runs++));
    Files.createDirectories(out);
    Pipeline pipeline = Pipeline.create(cluster.options(executor, "textIo"));
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      lines.add("line " + i);
    }
    pipeline.apply("Lines", org.apache.beam.sdk.transforms.Create.of(lines))
        .apply("Write", org.apache.beam.sdk.io.TextIO.write()
            .to(out.resolve("part").toString()).withSuffix(".out").withNumShards(3));
    assertThat(pipeline.run().waitUntilFinish(), equalTo(PipelineResult.State.DONE));
    List<String> written = new ArrayList<>();
    List<String> names = new ArrayList<>();
    try (Stream<Path> files = Files.list(out)) {
      for (Path file : files.toList()) {
        names.add(file.getFileName().toString());
        written.addAll(Files.readAllLines(file, StandardCharsets.UTF_8));
      }
    }
    // Three shards and nothing else: the temporary files were renamed or removed.
    assertThat(executor + " files " + names, names, hasSize(3));
    assertThat(names, everyItem(org.hamcrest.Matchers.endsWith(".out")));
    Collections.sort(written);
    return written;
  }

  /**
   * DoFn instances set up in the executors are torn down there when the run ends (the teardown
   * job), every one of them.
   */
  @Test
  void doFnsSetUpInExecutorsAreTornDownThere() throws Exception {
    Path markers = ROOT.resolve("output").resolve("lifecycle-" + (runs++));
    Files.createDirectories(markers);
    Pipeline pipeline = Pipeline.create(cluster.options("spark", "lifecycle"));
    List<Integer> numbers = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      numbers.add(i);
    }
    pipeline.apply("Numbers", org.apache.beam.sdk.transforms.Create.of(numbers))
        .apply("Marked", org.apache.beam.sdk.transforms.ParDo.of(
            new io.microbatch.spark.pipelines.LifecycleMarkers<Integer>(markers)));
    assertThat(pipeline.run().waitUntilFinish(), equalTo(PipelineResult.State.DONE));
    Set<String> setUp = new TreeSet<>();
    Set<String> tornDown = new TreeSet<>();
    try (Stream<Path> files = Files.list(markers)) {
      for (Path file : files.toList()) {
        String name = file.getFileName().toString();
        if (name.startsWith("setup_")) {
          setUp.add(name.substring("setup_".length()));
        } else if (name.startsWith("teardown_")) {
          tornDown.add(name.substring("teardown_".length()));
        }
      }
    }
    assertThat(setUp, not(org.hamcrest.Matchers.empty()));
    assertThat("instances are set up in executor processes only",
        setUp.stream().map(i -> Long.parseLong(i.split("_")[0])).toList(),
        everyItem(not(equalTo(DRIVER_PID))));
    assertThat(tornDown, equalTo(setUp));
  }

  /**
   * Bundle finalization on the executors: each element's callback runs once, in the executor
   * process whose task registered it, after the batch committed (the after-commit job).
   */
  @Test
  void bundleFinalizersRunOnceInTheExecutorsAfterTheBatchCommits() throws Exception {
    Path markers = ROOT.resolve("output").resolve("finalizers-" + (runs++));
    Files.createDirectories(markers);
    Pipeline pipeline = Pipeline.create(cluster.options("spark", "finalizers"));
    pipeline.apply("Keys", org.apache.beam.sdk.transforms.Create.of(keyedNumbers(200)))
        .apply("Group", org.apache.beam.sdk.transforms.GroupByKey.create())
        .apply("Finalizing", org.apache.beam.sdk.transforms.ParDo.of(
            new io.microbatch.spark.pipelines.FinalizationMarkers<Iterable<Integer>>(markers)));
    assertThat(pipeline.run().waitUntilFinish(), equalTo(PipelineResult.State.DONE));
    List<String> finalized = markerNames(markers);
    List<String> keys = new ArrayList<>();
    for (int k = 0; k < 20; k++) {
      keys.add("k" + k);
    }
    Collections.sort(keys);
    assertThat("one callback per key, each run once",
        finalized.stream().map(name -> name.split("_")[1]).sorted().toList(), equalTo(keys));
    assertThat("callbacks ran in executor processes",
        finalized.stream().map(name -> Long.parseLong(name.split("_")[2])).toList(),
        everyItem(not(equalTo(DRIVER_PID))));
  }

  /**
   * A batch that fails after its tasks registered finalization callbacks (a later stage of the
   * same batch throws) runs none of them: the work stays parked in the executors and is dropped.
   */
  @Test
  void aFailedBatchRunsNoBundleFinalizers() throws Exception {
    Path markers = ROOT.resolve("output").resolve("finalizers-failed-" + (runs++));
    Files.createDirectories(markers);
    Pipeline pipeline = Pipeline.create(cluster.options("spark", "finalizersFailed"));
    pipeline.apply("Keys", org.apache.beam.sdk.transforms.Create.of(keyedNumbers(200)))
        .apply("Finalizing", org.apache.beam.sdk.transforms.ParDo.of(
            new io.microbatch.spark.pipelines.FinalizationMarkers<Integer>(markers)))
        .apply("Group", org.apache.beam.sdk.transforms.GroupByKey.create())
        .apply("Fails", org.apache.beam.sdk.transforms.ParDo.of(new FailsOnKey("k7")));
    RuntimeException failure = org.junit.jupiter.api.Assertions.assertThrows(
        RuntimeException.class, () -> pipeline.run().waitUntilFinish());
    LOG.info("The finalizing pipeline failed as meant: {}", failure.toString());
    StringBuilder causes = new StringBuilder();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      causes.append(t).append('\n');
    }
    assertThat("it failed in the keyed stage, after the callbacks were registered",
        causes.toString(), org.hamcrest.Matchers.containsString("key k7 fails the batch"));
    assertThat("no callback of the failed batch ran", markerNames(markers), hasSize(0));
  }

  /** Fails the batch on one key's group. */
  private static final class FailsOnKey
      extends org.apache.beam.sdk.transforms.DoFn<KV<String, Iterable<Integer>>, Void> {
    private final String key;

    FailsOnKey(String key) {
      this.key = key;
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<Integer>> group) {
      if (group.getKey().equals(key)) {
        throw new IllegalStateException("key " + key + " fails the batch");
      }
    }
  }

  private static List<KV<String, Integer>> keyedNumbers(int count) {
    List<KV<String, Integer>> numbers = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      numbers.add(KV.of("k" + (i % 20), i));
    }
    return numbers;
  }

  private static List<String> markerNames(Path directory) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files.map(f -> f.getFileName().toString())
          .filter(name -> name.startsWith("finalized_")).sorted().toList();
    }
  }

  /**
   * Step 2 of #10: a streaming pipeline over an unbounded source. The source's readers stay on
   * the driver (they are long-lived and cannot travel); the keyed combine, the stateful DoFn with
   * timers and the sink run on the executors, over many batches. Same lines and the same user
   * metrics as locally. The engine's own metrics are left out: how records are sliced into
   * batches depends on timing (a slice also ends after a read time limit), and with it per-batch
   * figures such as records per split and batch. Backpressure is off: on the cluster a batch takes
   * longer, so the controller would cut intake to a few records per batch and stretch the test
   * to thousands of batches (seen: 2701 batches, 277 s).
   */
  @Test
  void streamingWindowedCountsMatchTheLocalExecutor() throws Exception {
    String name = "streamingWindowedCounts";
    String[] streaming = {"--streaming=true", "--batchIntervalMillis=10",
        "--maxRecordsPerBatch=300", "--backpressure=false"};
    Output local = run(name, "local", DifferentialPipelines::streamingWindowedCounts, streaming);
    Output spark = run(name, "spark", DifferentialPipelines::streamingWindowedCounts, streaming);
    // 30 one-second windows x 7 keys, once from the combine and once from the timer.
    assertThat(local.lines(), hasSize(2 * 30 * 7));
    assertThat(spark.lines(), equalTo(local.lines()));
    assertThat(userMetrics(spark.metrics()), equalTo(userMetrics(local.metrics())));
    assertThat(userMetrics(local.metrics()).values(), org.hamcrest.Matchers.hasItem("210"));
    assertThat("spark output comes from executor processes", spark.pids(),
        everyItem(not(equalTo(DRIVER_PID))));
    figures.put(name + " local ms", Long.toString(local.millis()));
    figures.put(name + " spark ms", Long.toString(spark.millis()));
    LOG.info("{}: {} lines, local {} ms, spark {} ms, spark executors {}", name,
        local.lines().size(), local.millis(), spark.millis(), spark.executors());
  }

  /**
   * Checkpoints with {@code --executor=spark}: the streaming pipeline runs with a checkpoint
   * every 2 batches of 50 records and is cancelled mid-stream (once 150 of its 420 lines were
   * written, i.e. well after its first checkpoints); a second run with the same checkpoint
   * directory restores the last checkpoint (the executors' snapshot files, published by the
   * driver, shipped back to the executors) and replays the batches logged after it. The test
   * sink is not transactional, so lines of replayed batches may appear twice; what must hold:
   * every line of the two runs is a line of the local executor's output (a window counted on
   * lost or doubled state would give a line with a wrong count), together they give all of them,
   * and the second run did not start over (it wrote fewer lines than the whole output).
   */
  @Test
  void streamingResumesFromItsCheckpointOnTheCluster() throws Exception {
    String name = "streamingCheckpoints";
    Path checkpoints = ROOT.resolve("output").resolve("checkpoints-" + (runs++));
    String[] streaming = {"--streaming=true", "--batchIntervalMillis=10",
        "--maxRecordsPerBatch=50", "--backpressure=false"};
    String[] checkpointed = {"--streaming=true", "--batchIntervalMillis=10",
        "--maxRecordsPerBatch=50", "--backpressure=false",
        "--checkpointDir=" + checkpoints.toUri(), "--checkpointIntervalBatches=2"};
    Output local = run(name, "local", DifferentialPipelines::streamingWindowedCounts, streaming);
    assertThat(local.lines(), hasSize(2 * 30 * 7));

    Path firstOut = ROOT.resolve("output").resolve(name + "-first-" + (runs++));
    Files.createDirectories(firstOut);
    Pipeline first = Pipeline.create(cluster.options("spark", name, checkpointed));
    DifferentialPipelines.streamingWindowedCounts(first, firstOut);
    PipelineResult running = first.run();
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    while (linesIn(firstOut).size() < 150) {
      assertThat("the first run ended before it was cancelled",
          running.getState().isTerminal(), equalTo(false));
      assertThat("150 lines within 5 minutes", System.nanoTime() < deadline, equalTo(true));
      Thread.sleep(50);
    }
    running.cancel();
    running.waitUntilFinish();
    List<String> firstLines = linesIn(firstOut);

    Output second = run(name, "spark", DifferentialPipelines::streamingWindowedCounts,
        checkpointed);
    Set<String> expected = new TreeSet<>(local.lines());
    Set<String> both = new TreeSet<>(firstLines);
    both.addAll(second.lines());
    LOG.info("{}: first run {} lines before the cancel, second run {} lines", name,
        firstLines.size(), second.lines().size());
    assertThat("lines not in the local output",
        both.stream().filter(l -> !expected.contains(l)).toList(), hasSize(0));
    assertThat(both, equalTo(expected));
    assertThat("the second run resumed rather than started over",
        second.lines().size() < local.lines().size(), equalTo(true));
    figures.put(name + " first run lines", Integer.toString(firstLines.size()));
    figures.put(name + " second run lines", Integer.toString(second.lines().size()));
  }

  private static List<String> linesIn(Path directory) throws IOException {
    List<String> lines = new ArrayList<>();
    try (Stream<Path> files = Files.list(directory)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".txt")).toList()) {
        lines.addAll(Files.readAllLines(file, StandardCharsets.UTF_8));
      }
    }
    Collections.sort(lines);
    return lines;
  }

  /** The metrics the pipeline's own DoFns report. */
  private static Map<String, String> userMetrics(Map<String, String> metrics) {
    Map<String, String> user = new java.util.TreeMap<>(metrics);
    user.keySet().removeIf(key -> !key.contains(DifferentialPipelines.class.getName()));
    return user;
  }

  /** Runs last by name order is not guaranteed, so it runs a pipeline of its own first. */
  @Test
  void bothExecutorsRanPartitionTasks() throws Exception {
    differential("wordCountForPlacement", DifferentialPipelines::wordCount);
    differential("statefulForPlacement", DifferentialPipelines::statefulWithTimers);
    assertThat("executors that wrote output: " + sparkExecutorsSeen,
        sparkExecutorsSeen.size(), equalTo(2));
  }

  /** Runs the pipeline on both executors, checks they agree; returns the Spark run's output. */
  private Output differential(String name, BiConsumer<Pipeline, Path> pipeline)
      throws Exception {
    Output local = run(name, "local", pipeline);
    Output spark = run(name, "spark", pipeline);
    assertThat(name + " wrote nothing", local.lines(), not(hasSize(0)));
    LOG.info("{} metrics: local {}, spark {}", name, local.metrics(), spark.metrics());
    assertThat(name + ": --executor=spark output", spark.lines(), equalTo(local.lines()));
    // Metric updates made in the executors reach the driver's results, the same as locally.
    assertThat(name + ": --executor=spark metrics", spark.metrics(), equalTo(local.metrics()));
    assertThat("local output comes from the driver", local.pids(),
        everyItem(equalTo(DRIVER_PID)));
    assertThat("spark output comes from executor processes", spark.pids(),
        everyItem(not(equalTo(DRIVER_PID))));
    assertThat("spark output comes from Spark executors", spark.executors(),
        everyItem(not(equalTo("driver"))));
    sparkExecutorsSeen.addAll(spark.executors());
    figures.put(name + " local ms", Long.toString(local.millis()));
    figures.put(name + " spark ms", Long.toString(spark.millis()));
    LOG.info("{}: {} lines, local {} ms, spark {} ms, spark executors {}", name,
        local.lines().size(), local.millis(), spark.millis(), spark.executors());
    return spark;
  }

  private record Output(List<String> lines, List<Long> pids, Set<String> executors, long millis,
      Map<String, String> metrics) {}

  /**
   * Every committed counter, and every committed distribution except the engine's per-batch
   * timings (namespace microbatch.batch), which differ between any two runs.
   */
  private static Map<String, String> metricsOf(PipelineResult result) {
    Map<String, String> metrics = new java.util.TreeMap<>();
    MetricQueryResults all = result.metrics().allMetrics();
    for (MetricResult<Long> counter : all.getCounters()) {
      metrics.put("counter " + counter.getKey(), String.valueOf(counter.getCommitted()));
    }
    for (MetricResult<DistributionResult> distribution : all.getDistributions()) {
      if (distribution.getKey().metricName().getNamespace().equals("microbatch.batch")) {
        continue;
      }
      metrics.put("distribution " + distribution.getKey(),
          String.valueOf(distribution.getCommitted()));
    }
    return metrics;
  }

  private Output run(String name, String executor, BiConsumer<Pipeline, Path> build,
      String... extra) throws IOException {
    Path out = ROOT.resolve("output").resolve(name + "-" + executor + "-" + (runs++));
    Files.createDirectories(out);
    Pipeline pipeline = Pipeline.create(cluster.options(executor, name, extra));
    build.accept(pipeline, out);
    long start = System.nanoTime();
    PipelineResult result = pipeline.run();
    assertThat(result.waitUntilFinish(), equalTo(PipelineResult.State.DONE));
    long millis = (System.nanoTime() - start) / 1_000_000;
    List<String> lines = new ArrayList<>();
    List<Long> pids = new ArrayList<>();
    Set<String> executors = new TreeSet<>();
    try (Stream<Path> files = Files.list(out)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".txt")).toList()) {
        String[] parts = file.getFileName().toString().split("_");
        pids.add(Long.parseLong(parts[0]));
        executors.add(parts[1]);
        lines.addAll(Files.readAllLines(file, StandardCharsets.UTF_8));
      }
    }
    Collections.sort(lines);
    assertThat(lines.size(), greaterThan(0));
    return new Output(lines, pids, executors, millis, metricsOf(result));
  }
}
