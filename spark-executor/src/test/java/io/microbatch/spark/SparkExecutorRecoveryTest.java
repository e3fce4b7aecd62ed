package io.microbatch.spark;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;

import io.microbatch.runner.MicroBatchPipelineResult;
import io.microbatch.spark.cluster.SparkTestCluster;
import io.microbatch.spark.pipelines.DifferentialPipelines;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue #10, step 3: SIGKILL of an executor process holding keyed partitions while a streaming
 * pipeline with checkpoints runs; the run recovers in process from its last checkpoint (lost
 * partitions reopened on live executors from the checkpoint, logged batches replayed) and
 * finishes with the local executor's results.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SparkExecutorRecoveryTest {
  private static final Logger LOG = LoggerFactory.getLogger(SparkExecutorRecoveryTest.class);
  private static final Path ROOT =
      Path.of("target", "spark-cluster", "SparkExecutorRecoveryTest").toAbsolutePath();
  private static final long DRIVER_PID = ProcessHandle.current().pid();

  private SparkTestCluster cluster;

  @BeforeAll
  void startCluster() throws Exception {
    SparkTestCluster.deleteRecursively(ROOT.resolve("output"));
    cluster = SparkTestCluster.builder(ROOT).start("SparkExecutorRecoveryTest");
  }

  @AfterAll
  void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  /**
   * Two sinks on the executors. The test sink writes per bundle and is not transactional: lines
   * of batches replayed after the recovery (those between the last checkpoint and the kill) can
   * be written twice, identical. What proves that every keyed state change counted exactly once
   * is the content: each line is one key's count in one window (from a combine and from a
   * stateful DoFn with timers), whose elements spread over several batches; a window whose state
   * was lost, or whose input was applied twice, would give a line with another count, which is
   * not in the local executor's output. So: no line outside the local output, every local line
   * present, and every key and window once with its one correct value. {@code TextIO}'s windowed
   * write stages its files and publishes them after the batch committed (bundle finalization,
   * run in the executors), so its files must hold exactly the local output: each line once.
   */
  @Test
  void killingAnExecutorMidStreamRecoversFromTheCheckpointWithTheLocalResults()
      throws Exception {
    String[] streaming = {"--streaming=true", "--batchIntervalMillis=10",
        "--maxRecordsPerBatch=50", "--backpressure=false"};
    Path localOut = directory("local");
    Path localFiles = directory("local-files");
    Pipeline localPipeline = Pipeline.create(options("local", streaming));
    DifferentialPipelines.streamingWindowedCountsToFiles(localPipeline, localOut, localFiles);
    PipelineResult localResult = localPipeline.run();
    assertThat(localResult.waitUntilFinish(), equalTo(PipelineResult.State.DONE));
    long localWindows = committedWindows(localResult);
    assertThat(localWindows, equalTo(210L));
    List<String> local = linesIn(localOut);
    assertThat(local, hasSize(2 * 30 * 7));
    assertThat(publishedLines(localFiles), equalTo(local));

    Path out = directory("spark");
    Path files = directory("spark-files");
    Path checkpoints = directory("checkpoints");
    List<String> args = new ArrayList<>(List.of(streaming));
    args.add("--checkpointDir=" + checkpoints.toUri());
    // Every 3 batches: a kill between checkpoints leaves logged batches to replay.
    args.add("--checkpointIntervalBatches=3");
    Pipeline pipeline = Pipeline.create(options("spark", args.toArray(String[]::new)));
    DifferentialPipelines.streamingWindowedCountsToFiles(pipeline, out, files);
    long started = System.nanoTime();
    MicroBatchPipelineResult result = (MicroBatchPipelineResult) pipeline.run();
    long victim = awaitOutputFromAnExecutor(out, 100, result, Duration.ofMinutes(5));
    int linesBeforeKill = linesIn(out).size();
    Set<String> writersBeforeKill = writers(out);
    long killedAt = System.nanoTime();
    LOG.info("Killing executor process {} mid-stream ({} lines written)", victim,
        linesBeforeKill);
    ProcessHandle.of(victim).ifPresent(ProcessHandle::destroyForcibly);
    assertThat(result.waitUntilFinish(org.joda.time.Duration.standardMinutes(8)),
        equalTo(PipelineResult.State.DONE));
    long finished = System.nanoTime();
    LOG.info("Recovered {} times; finished {} ms after the kill ({} ms in all)",
        result.recoveries(), (finished - killedAt) / 1_000_000, (finished - started) / 1_000_000);
    assertThat("recoveries", result.recoveries(), greaterThanOrEqualTo(1));
    // Committed metrics count every batch once across the attempts: the first engine's up to
    // the restored checkpoint, then the new engine's (replayed batches included).
    assertThat("committed user counter after the recovery", committedWindows(result),
        equalTo(localWindows));

    List<String> spark = linesIn(out);
    Set<String> expected = new TreeSet<>(local);
    assertThat("lines not in the local output",
        spark.stream().filter(line -> !expected.contains(line)).toList(), hasSize(0));
    assertThat(new TreeSet<>(spark), equalTo(expected));
    // One value per key and window and kind: never two different counts for one window.
    Map<String, Set<String>> values = new TreeMap<>();
    for (String line : spark) {
      int eq = line.lastIndexOf('=');
      values.computeIfAbsent(line.substring(0, eq), k -> new TreeSet<>())
          .add(line.substring(eq + 1));
    }
    assertThat(values.values().stream().filter(v -> v.size() != 1).toList(), hasSize(0));
    LOG.info("Spark run wrote {} lines ({} distinct, {} written twice by replayed batches)",
        spark.size(), expected.size(), spark.size() - expected.size());
    // The executor the master started in place of the killed one registers after the restore;
    // the balancer moves partitions to it after a later checkpoint, so it runs keyed stages
    // (the sink is fused into them) and writes output.
    Set<String> newWriters = new TreeSet<>(writers(out));
    newWriters.removeAll(writersBeforeKill);
    LOG.info("Executors writing output: before the kill {}, new since {}", writersBeforeKill,
        newWriters);
    assertThat("the replacement executor received keyed partitions", newWriters.stream()
        .filter(writer -> !writer.startsWith(victim + "_")).toList(), not(empty()));
    // Exactly once: staged files published after their batch committed, republished identical
    // by a replay, so no line is missing and none appears twice.
    assertThat("TextIO's published files hold exactly the local output", publishedLines(files),
        equalTo(local));
  }

  /** The committed value of the pipeline's user counter of count lines (one per key and window). */
  private static long committedWindows(PipelineResult result) {
    long sum = 0;
    for (org.apache.beam.sdk.metrics.MetricResult<Long> counter : result.metrics().queryMetrics(
        org.apache.beam.sdk.metrics.MetricsFilter.builder()
            .addNameFilter(org.apache.beam.sdk.metrics.MetricNameFilter.named(
                DifferentialPipelines.class, "windows"))
            .build()).getCounters()) {
      sum += counter.getCommitted();
    }
    return sum;
  }

  /** The {@code pid_executorId} of every process that wrote test-sink output so far. */
  private static Set<String> writers(Path out) throws IOException {
    Set<String> writers = new TreeSet<>();
    try (Stream<Path> files = Files.list(out)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".txt")).toList()) {
        String[] parts = file.getFileName().toString().split("_");
        writers.add(parts[0] + "_" + parts[1]);
      }
    }
    return writers;
  }

  /** Every line of the files TextIO published (its staging directory left out), sorted. */
  private static List<String> publishedLines(Path directory) throws IOException {
    List<String> lines = new ArrayList<>();
    try (Stream<Path> files = Files.list(directory)) {
      for (Path file : files.filter(Files::isRegularFile)
          .filter(f -> f.getFileName().toString().startsWith("results")).toList()) {
        lines.addAll(Files.readAllLines(file, StandardCharsets.UTF_8));
      }
    }
    Collections.sort(lines);
    return lines;
  }

  /** The pid of an executor process that wrote sink output, once {@code lines} were written. */
  private static long awaitOutputFromAnExecutor(Path out, int lines, PipelineResult result,
      Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      assertThat("the pipeline ended before the kill", result.getState().isTerminal(),
          equalTo(false));
      if (linesIn(out).size() >= lines) {
        try (Stream<Path> files = Files.list(out)) {
          for (Path file : files.filter(f -> f.toString().endsWith(".txt")).toList()) {
            long pid = Long.parseLong(file.getFileName().toString().split("_")[0]);
            if (pid != DRIVER_PID) {
              return pid;
            }
          }
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("No " + lines + " lines from an executor within " + timeout);
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

  private Path directory(String name) throws IOException {
    Path dir = ROOT.resolve("output").resolve(name + "-" + System.nanoTime());
    Files.createDirectories(dir);
    return dir;
  }

  private org.apache.beam.sdk.options.PipelineOptions options(String executor, String... extra) {
    return cluster.options(executor, "executorRecovery", extra);
  }
}
