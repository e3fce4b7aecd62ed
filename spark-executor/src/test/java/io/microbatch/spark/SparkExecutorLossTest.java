package io.microbatch.spark;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.microbatch.spark.cluster.SparkTestCluster;
import io.microbatch.spark.pipelines.SlowKeyedPipeline;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
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
 * When an executor dies mid-batch without {@code --checkpointDir}, the pipeline fails, loudly and
 * soon, instead of re-running a keyed partition on empty or half-written state somewhere else
 * (moving a partition needs a checkpoint); the cluster replaces the executor, and the next
 * pipeline runs correctly. With {@code --checkpointDir} the run recovers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SparkExecutorLossTest {
  private static final Logger LOG = LoggerFactory.getLogger(SparkExecutorLossTest.class);
  private static final Path ROOT =
      Path.of("target", "spark-cluster", "SparkExecutorLossTest").toAbsolutePath();
  private static final long DRIVER_PID = ProcessHandle.current().pid();

  private SparkTestCluster cluster;
  private int runs;

  @BeforeAll
  void startCluster() throws Exception {
    // The test counts the state directories runs leave behind.
    SparkTestCluster.deleteRecursively(ROOT.resolve("executor-state"));
    cluster = SparkTestCluster.builder(ROOT).start("SparkExecutorLossTest");
  }

  @AfterAll
  void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void killingAnExecutorMidBatchFailsThePipelineAndTheNextPipelineRunsCorrectly()
      throws Exception {
    Path running = directory("running");
    Path out = directory("out");
    Pipeline pipeline = Pipeline.create(options("spark"));
    SlowKeyedPipeline.build(pipeline, running, out, 100);
    PipelineResult result = pipeline.run();
    long victim = awaitExecutorProcess(running, Duration.ofSeconds(120));
    long killedAt = System.nanoTime();
    LOG.info("Killing executor process {} while its keyed tasks run", victim);
    ProcessHandle.of(victim).ifPresent(ProcessHandle::destroyForcibly);
    RuntimeException failure = assertThrows(RuntimeException.class, result::waitUntilFinish);
    long failedAfterMillis = (System.nanoTime() - killedAt) / 1_000_000;
    String causes = causes(failure);
    LOG.info("Pipeline failed {} ms after the kill: {}", failedAfterMillis, causes);
    // The loss is recognised (Spark's removal of the executor cancels the run's job), or, if
    // the job failed first, a keyed task's retry refused to run or to run away from its holder.
    assertThat(causes, org.hamcrest.Matchers.anyOf(containsString("PartitionsLostException"),
        containsString("is not retried"), containsString("is held by executor")));
    assertThat(failedAfterMillis, lessThan(120_000L));

    List<String> local = runFresh("local");
    List<String> spark = runFresh("spark");
    assertThat(local, hasSize(160));
    assertThat(spark, equalTo(local));

    // Every run released its state on the executors that took part, the failed one included
    // (its surviving executor held partitions whose results the driver never got); only the
    // killed executor's directory of the failed run is left, as SIGKILL left it.
    List<String> left = new ArrayList<>();
    try (Stream<Path> executors = Files.list(ROOT.resolve("executor-state"))) {
      for (Path executor : executors.toList()) {
        try (Stream<Path> jobs = Files.list(executor)) {
          jobs.forEach(job -> left.add(ROOT.relativize(job).toString()));
        }
      }
    }
    assertThat("state directories left: " + left, left, hasSize(1));
  }

  /**
   * With {@code --checkpointDir}, the same kill in the run's first keyed batch (no result of the
   * killed executor's partitions reached the driver yet; Spark's scheduler events tell the
   * driver it ran tasks of the run) is recovered: a new engine reruns the batch on the live
   * executors, and the pipeline finishes with the local executor's counts. The test sink is
   * at-least-once, so lines the failed attempt wrote may appear twice; a count from lost or
   * doubled state would be a line the local output does not have.
   */
  @Test
  void killingAnExecutorInTheFirstKeyedBatchWithCheckpointsRecovers() throws Exception {
    Path running = directory("first-batch-running");
    Path out = directory("first-batch-out");
    Pipeline pipeline = Pipeline.create(options("spark",
        "--checkpointDir=" + directory("first-batch-checkpoints").toUri(),
        "--sparkStateDir=" + ROOT.resolve("first-batch-executor-state")));
    SlowKeyedPipeline.build(pipeline, running, out, 100);
    io.microbatch.runner.MicroBatchPipelineResult result =
        (io.microbatch.runner.MicroBatchPipelineResult) pipeline.run();
    long victim = awaitExecutorProcess(running, Duration.ofSeconds(120));
    long killedAt = System.nanoTime();
    LOG.info("Killing executor process {} in the first keyed batch", victim);
    ProcessHandle.of(victim).ifPresent(ProcessHandle::destroyForcibly);
    assertThat(result.waitUntilFinish(org.joda.time.Duration.standardMinutes(5)),
        equalTo(PipelineResult.State.DONE));
    LOG.info("Recovered {} times, finished {} ms after the kill", result.recoveries(),
        (System.nanoTime() - killedAt) / 1_000_000);
    assertThat("recoveries", result.recoveries(), org.hamcrest.Matchers.greaterThanOrEqualTo(1));
    List<String> spark = linesIn(out);
    java.util.Set<String> local = new java.util.TreeSet<>(runFresh("local"));
    assertThat("lines not in the local output",
        spark.stream().filter(line -> !local.contains(line)).toList(), hasSize(0));
    assertThat(new java.util.TreeSet<>(spark), equalTo(local));
  }

  private List<String> runFresh(String executor) throws IOException {
    Path out = directory("after-" + executor);
    Pipeline pipeline = Pipeline.create(options(executor));
    SlowKeyedPipeline.build(pipeline, directory("running-" + executor), out, 0);
    assertThat(pipeline.run().waitUntilFinish(), equalTo(PipelineResult.State.DONE));
    return linesIn(out);
  }

  private static List<String> linesIn(Path out) throws IOException {
    List<String> lines = new ArrayList<>();
    try (Stream<Path> files = Files.list(out)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".txt")).toList()) {
        lines.addAll(Files.readAllLines(file, StandardCharsets.UTF_8));
      }
    }
    Collections.sort(lines);
    return lines;
  }

  /** The first executor process (not the driver) that started processing keyed elements. */
  private static long awaitExecutorProcess(Path running, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      try (Stream<Path> files = Files.list(running)) {
        Optional<Long> pid = files.map(f -> Long.parseLong(f.getFileName().toString()))
            .filter(p -> p != DRIVER_PID).findFirst();
        if (pid.isPresent()) {
          return pid.get();
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("No executor started the keyed stage within " + timeout);
  }

  private static String causes(Throwable failure) {
    StringBuilder all = new StringBuilder();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      all.append(t).append(" | ");
    }
    return all.toString();
  }

  private Path directory(String name) throws IOException {
    Path dir = ROOT.resolve("output").resolve(name + "-" + System.nanoTime() + "-" + (runs++));
    Files.createDirectories(dir);
    return dir;
  }

  private org.apache.beam.sdk.options.PipelineOptions options(String executor, String... extra) {
    return cluster.options(executor, "executorLoss", extra);
  }
}
