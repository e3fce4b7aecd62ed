package io.microbatch.spark.bench;

import static io.microbatch.spark.cluster.SparkTestCluster.deleteRecursively;

import io.microbatch.engine.stats.BatchStatistics;
import io.microbatch.runner.MicroBatchPipelineResult;
import io.microbatch.spark.cluster.SparkTestCluster;
import io.microbatch.spark.pipelines.FiniteUnboundedSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue #10 item 4: figures of the Spark executor on a {@link SparkTestCluster} (child JVMs on
 * 127.0.0.1, one 1-core executor per worker), each next to the local executor's:
 *
 * <ol>
 *   <li>throughput (records/s) of a batch word count and of a streaming keyed windowed count with
 *       1 and 2 workers, one warm-up run then {@code reps} measured runs;
 *   <li>per-batch overhead: processing time, scheduling delay and Spark jobs of empty batches of
 *       a streaming pipeline whose source is idle (watermark held) at 10, 100 and 1000 ms batch
 *       intervals, computed as {@code benchmarks/.../BatchOverheadMain} does (mean processing
 *       time of an empty batch / interval, warm-up batches excluded);
 *   <li>time to recover from the SIGKILL of an executor process that holds keyed partitions, in a
 *       streaming run with checkpoints every 3 batches, against an undisturbed run, with the
 *       recommended {@code spark.locality.wait} of 30 s and with 3 s.
 * </ol>
 *
 * <p>Writes one JSON line per figure to {@code target/spark-benchmark.jsonl} (relative to the
 * working directory, the {@code spark-executor} module when run by {@code bench.sh}) and prints a
 * Markdown table. Needs {@code -Dsurefire.test.class.path=<test classpath>} so the cluster's JVMs
 * get the classes. Arguments: {@code --quick} (small sizes, one measured run), {@code
 * --only=throughput,overhead,recovery} ({@code throughput} = {@code batch-throughput} plus {@code
 * streaming-throughput}), {@code --batchRecords=N}. Speed is measured here, never in timed unit
 * tests.
 */
public final class SparkClusterBenchmark {
  private static final Logger LOG = LoggerFactory.getLogger(SparkClusterBenchmark.class);
  private static final Path ROOT = Path.of("target", "spark-bench").toAbsolutePath();
  private static final Path JSONL = Path.of("target", "spark-benchmark.jsonl").toAbsolutePath();
  private static final long MAX_WATERMARK = BoundedWindow.TIMESTAMP_MAX_VALUE.getMillis();
  private static final long SELF = ProcessHandle.current().pid();
  private static final String EXECUTOR_MEMORY = "1g";
  private static final int WORKER_MEMORY_MB = 1536;

  /** Sizes of one benchmark run; {@code --quick} only checks that everything works. */
  private record Sizes(int reps, long batchRecords, long streamRecords, long streamPerBatch,
      long[] idleSeconds, long overheadWarmupMillis, int recoveryReps, long recoveryRecords,
      long recoveryPerBatch) {}

  private static final Sizes FULL = new Sizes(3, 40_000_000, 200_000, 20_000,
      new long[] {15, 15, 30}, 3_000, 3, 60_000, 2_000);
  private static final Sizes QUICK = new Sizes(1, 1_000_000, 20_000, 5_000,
      new long[] {5, 5, 8}, 2_000, 1, 12_000, 1_000);
  private static final long[] INTERVALS = {10, 100, 1000};

  private final Sizes sizes;
  private final List<String> table = new ArrayList<>();

  private SparkClusterBenchmark(Sizes sizes) {
    this.sizes = sizes;
  }

  /** Runs the figures named by {@code --only} (all by default); see the class comment. */
  public static void main(String[] args) throws Exception {
    boolean quick = Arrays.asList(args).contains("--quick");
    List<String> only = Arrays.asList(arg(args, "only", "throughput,overhead,recovery")
        .split(","));
    Sizes sizes = quick ? QUICK : FULL;
    String batchRecords = arg(args, "batchRecords", null);
    if (batchRecords != null) {
      sizes = new Sizes(sizes.reps, Long.parseLong(batchRecords), sizes.streamRecords,
          sizes.streamPerBatch, sizes.idleSeconds, sizes.overheadWarmupMillis,
          sizes.recoveryReps, sizes.recoveryRecords, sizes.recoveryPerBatch);
    }
    SparkClusterBenchmark bench = new SparkClusterBenchmark(sizes);
    deleteRecursively(ROOT);
    Files.createDirectories(ROOT);
    Files.createDirectories(JSONL.getParent());
    int exit = 0;
    try {
      bench.runAll(only, quick, String.join(" ", args));
    } catch (Throwable t) {
      LOG.error("Benchmark failed", t);
      exit = 1;
    }
    System.out.println();
    System.out.println("| figure | executor | median | all runs | Spark jobs | load 1 min before / after |");
    System.out.println("|---|---|---:|---|---|---|");
    bench.table.forEach(System.out::println);
    System.out.println();
    System.out.println("JSON lines: " + JSONL);
    // Beam's and Spark's non-daemon threads would keep the JVM alive.
    System.exit(exit);
  }

  private static String arg(String[] args, String name, String fallback) {
    return Arrays.stream(args).filter(a -> a.startsWith("--" + name + "="))
        .map(a -> a.substring(name.length() + 3)).findFirst().orElse(fallback);
  }

  private void runAll(List<String> only, boolean quick, String args) throws Exception {
    json(Map.of("section", q("start"), "quick", String.valueOf(quick), "args", q(args),
        "cores", String.valueOf(Runtime.getRuntime().availableProcessors()),
        "time", q(Instant.now().toString()), "load", String.valueOf(load())));
    boolean batch = only.contains("throughput") || only.contains("batch-throughput");
    boolean streaming = only.contains("throughput") || only.contains("streaming-throughput");
    if (batch || streaming) {
      throughput(null, 0, batch, streaming);
      for (int workers = 1; workers <= 2; workers++) {
        try (SparkTestCluster cluster = startCluster(workers)) {
          throughput(cluster, workers, batch, streaming);
        }
      }
    }
    if (only.contains("overhead") || only.contains("recovery")) {
      if (only.contains("overhead")) {
        overhead(null);
      }
      try (SparkTestCluster cluster = startCluster(2)) {
        if (only.contains("overhead")) {
          overhead(cluster);
        }
        if (only.contains("recovery")) {
          recovery(cluster);
        }
      }
    }
  }

  private static SparkTestCluster startCluster(int workers) throws Exception {
    return SparkTestCluster.builder(ROOT.resolve("cluster-" + workers + "w-" + System.nanoTime()))
        .workers(workers).coresPerWorker(1).workerMemoryMb(WORKER_MEMORY_MB)
        .timeout(Duration.ofSeconds(180)).benchmarkExecutors(EXECUTOR_MEMORY)
        .driverLocalDir(ROOT.resolve("driver-local")).stateDir(ROOT.resolve("executor-state"))
        .startCluster();
  }

  private static BenchContext context(SparkTestCluster cluster, String app)
      throws InterruptedException {
    return context(cluster, app, "30s");
  }

  /**
   * {@code localityWait}: 30 s is what docs/spark-executor.md recommends (well above a task's
   * duration, so a keyed task waits for the executor holding its state).
   */
  private static BenchContext context(SparkTestCluster cluster, String app,
      String localityWait) throws InterruptedException {
    return new BenchContext(cluster, app, localityWait);
  }

  // ---------------------------------------------------------------- 1. throughput

  /** One pipeline run: its duration, records and the Spark jobs it submitted. */
  private record Run(double seconds, long records, long sparkJobs, long batches) {
    double recordsPerSecond() {
      return records / seconds;
    }
  }

  private void throughput(SparkTestCluster cluster, int workers, boolean batch,
      boolean streaming) throws Exception {
    String executor = cluster == null ? "local" : "spark";
    String label = cluster == null ? "local" : "spark, " + workers + " worker" + (workers > 1 ? "s" : "");
    BenchContext context = cluster == null ? null : context(cluster, "bench-throughput");
    try {
      if (batch) {
        measureThroughput("batch word count, " + sizes.batchRecords + " records", label,
            workers, context, () -> batchRun(cluster, context, executor, sizes.batchRecords));
      }
      if (!streaming) {
        return;
      }
      measureThroughput("streaming keyed windowed counts, " + sizes.streamRecords + " records ("
              + sizes.streamPerBatch + " per batch)", label, workers, context,
          () -> streamingRun(cluster, context, executor, sizes.streamRecords,
              sizes.streamPerBatch));
    } finally {
      if (context != null) {
        context.close();
      }
    }
  }

  private interface RunBody {
    Run run() throws Exception;
  }

  private void measureThroughput(String figure, String label, int workers, BenchContext context,
      RunBody body) throws Exception {
    double loadBefore = load();
    Run warm = body.run();
    LOG.info("{} on {}: warm-up {} s", figure, label, warm.seconds());
    List<Run> runs = new ArrayList<>();
    for (int i = 0; i < sizes.reps; i++) {
      runs.add(body.run());
      LOG.info("{} on {}: run {}: {} s, {} records/s", figure, label, i + 1,
          runs.get(i).seconds(), (long) runs.get(i).recordsPerSecond());
    }
    double loadAfter = load();
    double[] rates = runs.stream().mapToDouble(Run::recordsPerSecond).toArray();
    Map<String, String> j = new LinkedHashMap<>();
    j.put("section", q("throughput"));
    j.put("figure", q(figure));
    j.put("executor", q(label));
    j.put("workers", String.valueOf(workers));
    j.put("recordsPerSecondMedian", fmt(median(rates)));
    j.put("recordsPerSecond", array(rates));
    j.put("seconds", array(runs.stream().mapToDouble(Run::seconds).toArray()));
    j.put("warmupSeconds", fmt(warm.seconds()));
    j.put("sparkJobs", array(runs.stream().mapToDouble(Run::sparkJobs).toArray()));
    j.put("batches", array(runs.stream().mapToDouble(Run::batches).toArray()));
    j.put("loadBefore", fmt(loadBefore));
    j.put("loadAfter", fmt(loadAfter));
    json(j);
    row(figure + ": records/s", label, String.format(Locale.ROOT, "%,.0f", median(rates)),
        runs.stream().map(r -> String.format(Locale.ROOT, "%,.0f (%.1f s)", r.recordsPerSecond(),
            r.seconds())).collect(Collectors.joining(", ")),
        context == null ? "-" : runs.stream().map(r -> String.valueOf(r.sparkJobs()))
            .collect(Collectors.joining(", ")) + " (" + runs.get(0).batches() + " batches)",
        loadBefore, loadAfter);
  }

  private Run batchRun(SparkTestCluster cluster, BenchContext context, String executor,
      long records) throws Exception {
    Path out = outputDirectory("batch");
    Pipeline pipeline = Pipeline.create(options(cluster, executor, "bench-batch"));
    BenchPipelines.batchWordCount(pipeline, records, out);
    long jobsBefore = context == null ? 0 : context.jobStartMillis().size();
    long started = System.nanoTime();
    MicroBatchPipelineResult result = (MicroBatchPipelineResult) pipeline.run();
    requireDone(result.waitUntilFinish(org.joda.time.Duration.standardMinutes(20)), "batch run");
    double seconds = (System.nanoTime() - started) / 1e9;
    long jobs = context == null ? 0 : context.jobStartMillis().size() - jobsBefore;
    deleteRecursively(out);
    return new Run(seconds, records, jobs, result.batchStatistics().size());
  }

  /** Records/s from the first batch's start to the end of the run (setup excluded). */
  private Run streamingRun(SparkTestCluster cluster, BenchContext context, String executor,
      long records, long perBatch) throws Exception {
    Path out = outputDirectory("stream");
    Pipeline pipeline = Pipeline.create(options(cluster, executor, "bench-stream",
        "--streaming=true", "--batchIntervalMillis=10", "--maxRecordsPerBatch=" + perBatch,
        "--backpressure=false"));
    BenchPipelines.streamingCounts(pipeline,
        new FiniteUnboundedSource(records,
            new org.joda.time.Instant(1_700_000_000_000L), 10), out);
    long jobsBefore = context == null ? 0 : context.jobStartMillis().size();
    MicroBatchPipelineResult result = (MicroBatchPipelineResult) pipeline.run();
    requireDone(result.waitUntilFinish(org.joda.time.Duration.standardMinutes(20)),
        "streaming run");
    Instant end = Instant.now();
    List<BatchStatistics> batches = result.batchStatistics();
    double seconds = Duration.between(batches.get(0).start(), end).toNanos() / 1e9;
    long jobs = context == null ? 0 : context.jobStartMillis().size() - jobsBefore;
    deleteRecursively(out);
    return new Run(seconds, records, jobs, batches.size());
  }

  // ---------------------------------------------------------------- 2. per-batch overhead

  private void overhead(SparkTestCluster cluster) throws Exception {
    String label = cluster == null ? "local" : "spark, 2 workers";
    // One application for the three intervals, warmed up first: on fresh executors the first
    // batch pays class loading and JIT for several seconds, longer than a short idle period.
    try (BenchContext context = cluster == null ? null
        : context(cluster, "bench-overhead")) {
      idleRun(cluster, 100, 2_000);
      for (int i = 0; i < INTERVALS.length; i++) {
        overheadAt(cluster, context, label, INTERVALS[i], sizes.idleSeconds[i]);
      }
    }
  }

  /** Runs the idle pipeline and returns its batches. */
  private List<BatchStatistics> idleRun(SparkTestCluster cluster, long interval, long idleMillis)
      throws Exception {
    Path out = outputDirectory("idle");
    Pipeline pipeline = Pipeline.create(options(cluster, cluster == null ? "local" : "spark",
        "bench-idle", "--streaming=true", "--batchIntervalMillis=" + interval,
        "--maxRecordsPerBatch=100000", "--backpressure=false"));
    // 700 records: 7 keys x 7 s of event time; the windows stay open while the source is idle.
    BenchPipelines.streamingCounts(pipeline, new FiniteUnboundedSource(
        700, new org.joda.time.Instant(1_700_000_000_000L), 10, idleMillis), out);
    MicroBatchPipelineResult result = (MicroBatchPipelineResult) pipeline.run();
    requireDone(result.waitUntilFinish(org.joda.time.Duration.millis(idleMillis + 600_000)),
        "idle run");
    deleteRecursively(out);
    return result.batchStatistics();
  }

  private void overheadAt(SparkTestCluster cluster, BenchContext context, String label,
      long interval, long idleSeconds) throws Exception {
    long idleMillis = idleSeconds * 1000;
    double loadBefore = load();
    List<BatchStatistics> all = idleRun(cluster, interval, idleMillis);
    double loadAfter = load();
    // Warm-up: the batch that read the records and what follows it for overheadWarmupMillis.
    BatchStatistics first = all.get(0);
    Instant measureFrom = first.start().plus(first.processingTime())
        .plusMillis(sizes.overheadWarmupMillis);
    List<BatchStatistics> idle = new ArrayList<>();
    for (BatchStatistics b : all) {
      if (b.recordsRead() == 0 && !b.start().isBefore(measureFrom) && sourceHeld(b)) {
        idle.add(b);
      }
    }
    // The last idle batch may already overlap the source's end: leave it out.
    if (!idle.isEmpty()) {
      idle.remove(idle.size() - 1);
    }
    List<Long> jobStarts = context == null ? List.of() : context.jobStartMillis();
    double[] processing = sortedMillis(idle.stream().map(BatchStatistics::processingTime));
    double[] delay = sortedMillis(idle.stream().map(BatchStatistics::schedulingDelay));
    double[] jobs = idle.stream().mapToDouble(b -> jobStarts.stream().filter(t ->
        t >= b.start().toEpochMilli()
            && t <= b.start().plus(b.processingTime()).toEpochMilli()).count()).toArray();
    double meanProcessing = Arrays.stream(processing).average().orElse(Double.NaN);
    double meanJobs = Arrays.stream(jobs).average().orElse(Double.NaN);
    // Wall time the measured batches span; batches longer than the interval run back to back.
    BatchStatistics lastIdle = idle.isEmpty() ? null : idle.get(idle.size() - 1);
    long window = idle.isEmpty() ? 0 : Duration.between(idle.get(0).start(),
        lastIdle.start().plus(lastIdle.processingTime())).toMillis();
    Map<String, String> j = new LinkedHashMap<>();
    j.put("section", q("overhead"));
    j.put("executor", q(label));
    j.put("intervalMillis", String.valueOf(interval));
    j.put("idleSeconds", String.valueOf(idleSeconds));
    j.put("batches", String.valueOf(all.size()));
    j.put("emptyBatchesMeasured", String.valueOf(idle.size()));
    j.put("measuredWindowMillis", String.valueOf(window));
    j.put("emptyProcessingMillis", String.format(Locale.ROOT,
        "{\"p50\":%s,\"p99\":%s,\"mean\":%s,\"max\":%s}", fmt(pct(processing, 50)),
        fmt(pct(processing, 99)), fmt(meanProcessing), fmt(pct(processing, 100))));
    j.put("schedulingDelayMillis", String.format(Locale.ROOT,
        "{\"p50\":%s,\"p99\":%s,\"max\":%s}", fmt(pct(delay, 50)), fmt(pct(delay, 99)),
        fmt(pct(delay, 100))));
    j.put("overheadPercent", fmt(100 * meanProcessing / interval));
    j.put("sparkJobsPerEmptyBatch", fmt(meanJobs));
    j.put("loadBefore", fmt(loadBefore));
    j.put("loadAfter", fmt(loadAfter));
    json(j);
    row(String.format(Locale.ROOT, "empty batch at %d ms interval: processing ms (mean)",
            interval), label, fmt(meanProcessing),
        String.format(Locale.ROOT, "p50 %s / p99 %s / max %s ms; %d batches in %.1f s (%d intervals);"
                + " sched. delay p50 %s / p99 %s ms; overhead %s%%", fmt(pct(processing, 50)),
            fmt(pct(processing, 99)), fmt(pct(processing, 100)), idle.size(), window / 1000.0,
            window / interval, fmt(pct(delay, 50)), fmt(pct(delay, 99)),
            fmt(100 * meanProcessing / interval)),
        context == null ? "-" : fmt(meanJobs) + " per empty batch", loadBefore, loadAfter);
  }

  /** True while the source's watermark is held (before it ends and jumps to the end of time). */
  private static boolean sourceHeld(BatchStatistics batch) {
    List<Long> source = batch.watermarks().entrySet().stream()
        .filter(e -> e.getKey().startsWith("Numbers")).map(Map.Entry::getValue).toList();
    Stream<Long> marks = source.isEmpty() ? batch.watermarks().values().stream() : source.stream();
    return marks.allMatch(w -> w < MAX_WATERMARK);
  }

  // ---------------------------------------------------------------- 3. recovery

  private void recovery(SparkTestCluster cluster) throws Exception {
    String[] streaming = {"--streaming=true", "--batchIntervalMillis=10",
        "--maxRecordsPerBatch=" + sizes.recoveryPerBatch, "--backpressure=false",
        "--checkpointIntervalBatches=3"};
    double loadBefore = load();
    List<Double> local = new ArrayList<>();
    for (int i = 0; i <= sizes.recoveryReps; i++) {
      double s = recoveryRun(null, null, "local", streaming, -1).wholeSeconds;
      if (i > 0) {
        local.add(s);
      }
    }
    double loadAfterLocal = load();
    json(Map.of("section", q("recovery"), "executor", q("local"), "undisturbedSeconds",
        array(local.stream().mapToDouble(d -> d).toArray()), "loadBefore", fmt(loadBefore),
        "loadAfter", fmt(loadAfterLocal)));
    row("streaming with checkpoints every 3 batches, " + sizes.recoveryRecords + " records ("
            + sizes.recoveryPerBatch + " per batch): whole run s, undisturbed", "local",
        fmt(median(local)), local.stream().map(SparkClusterBenchmark::fmt)
            .collect(Collectors.joining(", ")), "-", loadBefore, loadAfterLocal);
    // The recommended locality wait, then a short one: a keyed task of the next batch waits
    // that long for the dead executor it prefers before Spark offers it elsewhere.
    recoveryVariant(cluster, streaming, "30s", sizes.recoveryReps);
    recoveryVariant(cluster, streaming, "3s", Math.max(1, sizes.recoveryReps - 1));
  }

  private void recoveryVariant(SparkTestCluster cluster, String[] streaming, String localityWait,
      int reps) throws Exception {
    long expectedBatches = sizes.recoveryRecords / sizes.recoveryPerBatch;
    // Kill at 40% of the run: several checkpoints published, the keyed partitions long placed.
    long killAfterBatch = expectedBatches * 2 / 5;
    List<Double> undisturbed = new ArrayList<>();
    List<Recovery> killed = new ArrayList<>();
    double loadBefore = load();
    for (int rep = 0; rep < reps; rep++) {
      // A fresh application per repetition: the killed executor's replacement is not reused.
      try (BenchContext context = context(cluster, "bench-recovery-" + rep, localityWait)) {
        recoveryRun(cluster, context, "spark", streaming, -1); // warm-up
        undisturbed.add(recoveryRun(cluster, context, "spark", streaming, -1).wholeSeconds);
        Recovery r = recoveryRun(cluster, context, "spark", streaming, killAfterBatch);
        killed.add(r);
        LOG.info("Recovery repetition {} (locality wait {}): {}", rep + 1, localityWait, r);
      }
    }
    double loadAfter = load();
    double[] removedMs = killed.stream().mapToDouble(r -> r.executorRemovedMillis).toArray();
    double[] lossMs = killed.stream().mapToDouble(r -> r.lossRecognisedMillis).toArray();
    double[] commitMs = killed.stream().mapToDouble(r -> r.firstCommitMillis).toArray();
    double[] finishMs = killed.stream().mapToDouble(r -> r.finishedMillis).toArray();
    double[] whole = killed.stream().mapToDouble(r -> r.wholeSeconds).toArray();
    Map<String, String> j = new LinkedHashMap<>();
    j.put("section", q("recovery"));
    j.put("executor", q("spark, 2 workers"));
    j.put("localityWait", q(localityWait));
    j.put("records", String.valueOf(sizes.recoveryRecords));
    j.put("recordsPerBatch", String.valueOf(sizes.recoveryPerBatch));
    j.put("killAfterBatch", String.valueOf(killAfterBatch));
    j.put("killToExecutorRemovedMillis", array(removedMs));
    j.put("killToLossRecognisedMillis", array(lossMs));
    j.put("killToFirstCommitMillis", array(commitMs));
    j.put("killToFinishedMillis", array(finishMs));
    j.put("killedRunSeconds", array(whole));
    j.put("undisturbedSeconds", array(undisturbed.stream().mapToDouble(d -> d).toArray()));
    j.put("details", "[" + killed.stream().map(Recovery::json).collect(Collectors.joining(","))
        + "]");
    j.put("loadBefore", fmt(loadBefore));
    j.put("loadAfter", fmt(loadAfter));
    json(j);
    String f = "SIGKILL after batch " + killAfterBatch + " of " + expectedBatches
        + ", spark.locality.wait=" + localityWait + ": kill -> ";
    String label = "spark, 2 workers";
    row(f + "Spark removed the executor, ms", label, fmt(median(removedMs)), joined(removedMs),
        "-", loadBefore, loadAfter);
    row(f + "loss recognised (recovery starts), ms", label, fmt(median(lossMs)), joined(lossMs),
        "-", loadBefore, loadAfter);
    row(f + "first batch committed by the new engine, ms", label, fmt(median(commitMs)),
        joined(commitMs) + " (" + killed.stream()
            .map(r -> "resumed at batch " + r.firstBatchAfter + (r.replayed ? ", replayed" : ""))
            .collect(Collectors.joining("; ")) + ")", "-", loadBefore, loadAfter);
    row(f + "pipeline finished, ms", label, fmt(median(finishMs)), joined(finishMs), "-",
        loadBefore, loadAfter);
    row("same, whole run s: killed vs undisturbed (spark.locality.wait=" + localityWait + ")",
        label, fmt(median(whole)) + " vs " + fmt(median(undisturbed)),
        "killed " + joined(whole) + "; undisturbed " + undisturbed.stream()
            .map(SparkClusterBenchmark::fmt).collect(Collectors.joining(", ")),
        "-", loadBefore, loadAfter);
  }

  /** Timings of one streaming run, killed or not; -1 where it does not apply. */
  private record Recovery(double wholeSeconds, long executorRemovedMillis,
      long lossRecognisedMillis, long firstCommitMillis, long finishedMillis,
      long firstBatchAfter, boolean replayed, int recoveries, long victimPid,
      long killedAfterBatch) {
    String json() {
      return String.format(Locale.ROOT, "{\"wholeSeconds\":%s,\"executorRemovedMillis\":%d,"
              + "\"lossRecognisedMillis\":%d,\"firstCommitMillis\":%d,\"finishedMillis\":%d,"
              + "\"firstBatchAfter\":%d,\"replayed\":%b,\"recoveries\":%d,"
              + "\"killedAfterBatch\":%d}", fmt(wholeSeconds), executorRemovedMillis,
          lossRecognisedMillis, firstCommitMillis, finishedMillis, firstBatchAfter, replayed,
          recoveries, killedAfterBatch);
    }
  }

  /**
   * Runs the streaming pipeline with checkpoints; with {@code killAfterBatch >= 0}, SIGKILLs an
   * executor process that wrote sink output (the sink is fused into the keyed stages, so that
   * executor ran keyed partitions) once that batch committed, and times the recovery: when Spark
   * removed the executor (a listener on {@code context}), when the run noticed the loss ({@code
   * recoveries()} rose), when the new engine committed its first batch (its own statistics, which
   * start empty), and when the run finished.
   */
  private Recovery recoveryRun(SparkTestCluster cluster, BenchContext context, String executor,
      String[] streaming, long killAfterBatch) throws Exception {
    Path out = outputDirectory("recovery");
    Path checkpoints = outputDirectory("checkpoints");
    List<String> args = new ArrayList<>(List.of(streaming));
    args.add("--checkpointDir=" + checkpoints.toUri());
    Pipeline pipeline = Pipeline.create(options(cluster, executor, "bench-recovery",
        args.toArray(String[]::new)));
    BenchPipelines.streamingCounts(pipeline,
        new FiniteUnboundedSource(sizes.recoveryRecords,
            new org.joda.time.Instant(1_700_000_000_000L), 10), out);
    long started = System.nanoTime();
    MicroBatchPipelineResult result = (MicroBatchPipelineResult) pipeline.run();
    if (killAfterBatch < 0) {
      requireDone(result.waitUntilFinish(org.joda.time.Duration.standardMinutes(20)),
          "checkpointed run");
      double whole = (System.nanoTime() - started) / 1e9;
      deleteRecursively(out);
      deleteRecursively(checkpoints);
      return new Recovery(whole, -1, -1, -1, -1, -1, false, 0, -1, -1);
    }
    long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
    long victim = -1;
    long oldFirstBatch = -1;
    long lastBatch = -1;
    while (victim < 0) {
      if (result.getState().isTerminal() || System.nanoTime() > deadline) {
        throw new IllegalStateException("The run ended (or timed out) before batch "
            + killAfterBatch + " committed; state " + result.getState());
      }
      List<BatchStatistics> batches = result.batchStatistics();
      if (!batches.isEmpty() && batches.get(batches.size() - 1).batchId() >= killAfterBatch) {
        oldFirstBatch = batches.get(0).batchId();
        lastBatch = batches.get(batches.size() - 1).batchId();
        victim = executorThatWrote(out);
      }
      if (victim < 0) {
        Thread.sleep(5);
      }
    }
    Instant killedAt = Instant.now();
    long killedNanos = System.nanoTime();
    LOG.info("Killing executor process {} after batch {}", victim, lastBatch);
    ProcessHandle.of(victim).ifPresent(ProcessHandle::destroyForcibly);
    long lossNanos = -1;
    BatchStatistics firstAfter = null;
    while (!result.getState().isTerminal() && System.nanoTime() < deadline
        && (lossNanos < 0 || firstAfter == null)) {
      if (lossNanos < 0 && result.recoveries() > 0) {
        lossNanos = System.nanoTime();
      }
      if (lossNanos >= 0) {
        List<BatchStatistics> batches = result.batchStatistics();
        // The new engine's statistics start empty; the old engine's start at oldFirstBatch.
        if (!batches.isEmpty() && batches.get(0).batchId() != oldFirstBatch) {
          firstAfter = batches.get(0);
        }
      }
      Thread.sleep(2);
    }
    requireDone(result.waitUntilFinish(org.joda.time.Duration.standardMinutes(20)),
        "killed run");
    long finishedNanos = System.nanoTime();
    if (lossNanos < 0 && result.recoveries() > 0) {
      // The whole recovery happened between two polls.
      lossNanos = finishedNanos;
    }
    if (firstAfter == null && result.recoveries() > 0 && !result.batchStatistics().isEmpty()
        && result.batchStatistics().get(0).batchId() != oldFirstBatch) {
      firstAfter = result.batchStatistics().get(0);
    }
    deleteRecursively(out);
    deleteRecursively(checkpoints);
    long removed = context.executorRemovalMillis().stream()
        .filter(t -> t >= killedAt.toEpochMilli()).findFirst().orElse(-1L);
    return new Recovery((finishedNanos - started) / 1e9,
        removed < 0 ? -1 : removed - killedAt.toEpochMilli(),
        lossNanos < 0 ? -1 : (lossNanos - killedNanos) / 1_000_000,
        firstAfter == null ? -1 : Duration.between(killedAt,
            firstAfter.start().plus(firstAfter.processingTime())).toMillis(),
        (finishedNanos - killedNanos) / 1_000_000,
        firstAfter == null ? -1 : firstAfter.batchId(),
        firstAfter != null && firstAfter.replayed(), result.recoveries(), victim, lastBatch);
  }

  /** The pid of a process other than this one that wrote a sink file, or -1. */
  private static long executorThatWrote(Path out) throws IOException {
    try (Stream<Path> files = Files.list(out)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".txt")).toList()) {
        long pid = Long.parseLong(file.getFileName().toString().split("_")[0]);
        if (pid != SELF) {
          return pid;
        }
      }
    }
    return -1;
  }

  // ---------------------------------------------------------------- helpers

  /** {@code cluster} is null for the local executor's runs. */
  private static org.apache.beam.sdk.options.PipelineOptions options(SparkTestCluster cluster,
      String executor, String jobName, String... extra) {
    return cluster == null ? SparkTestCluster.localOptions(jobName, extra)
        : cluster.options(executor, jobName, extra);
  }

  private static void requireDone(PipelineResult.State state, String what) {
    if (state != PipelineResult.State.DONE) {
      throw new IllegalStateException(what + " ended in state " + state);
    }
  }

  private static Path outputDirectory(String name) throws IOException {
    Path dir = ROOT.resolve("output").resolve(name + "-" + System.nanoTime());
    Files.createDirectories(dir);
    return dir;
  }

  /** The 1-minute load average: the machine is shared, so every figure carries it. */
  private static double load() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split("\\s+")[0]);
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  private void row(String figure, String executor, String median, String runs, String jobs,
      double loadBefore, double loadAfter) {
    String line = "| " + figure + " | " + executor + " | " + median + " | " + runs + " | " + jobs
        + " | " + fmt(loadBefore) + " / " + fmt(loadAfter) + " |";
    table.add(line);
    LOG.info("Figure: {}", line);
  }

  private static void json(Map<String, String> members) throws IOException {
    String line = members.entrySet().stream()
        .map(e -> q(e.getKey()) + ":" + e.getValue())
        .collect(Collectors.joining(",", "{", "}"));
    Files.writeString(JSONL, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }

  private static String q(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private static String fmt(double d) {
    if (Double.isNaN(d)) {
      return "null";
    }
    return Math.abs(d) >= 100 ? String.format(Locale.ROOT, "%.0f", d)
        : String.format(Locale.ROOT, "%.2f", d);
  }

  private static String array(double[] values) {
    return Arrays.stream(values).mapToObj(SparkClusterBenchmark::fmt)
        .collect(Collectors.joining(",", "[", "]"));
  }

  private static String joined(double[] values) {
    return Arrays.stream(values).mapToObj(SparkClusterBenchmark::fmt)
        .collect(Collectors.joining(", "));
  }

  private static double median(double[] values) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private static double median(List<Double> values) {
    return median(values.stream().mapToDouble(d -> d).toArray());
  }

  private static double[] sortedMillis(Stream<Duration> durations) {
    return durations.mapToDouble(d -> d.toNanos() / 1e6).sorted().toArray();
  }

  private static double pct(double[] sorted, int p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }
}
