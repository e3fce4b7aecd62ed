package io.microbatch.benchmarks.microbatch;

import io.microbatch.benchmarks.harness.RunnerKind;
import io.microbatch.benchmarks.latency.LatencyPipelines;
import io.microbatch.benchmarks.latency.LatencyRecorder;
import io.microbatch.benchmarks.latency.Percentiles;
import io.microbatch.benchmarks.latency.RateSource;
import io.microbatch.benchmarks.latency.WallClock;
import io.microbatch.engine.stats.BatchStatistics;
import io.microbatch.runner.MicroBatchPipelineResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.ToLongFunction;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.joda.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * End-to-end latency in streaming mode of one pipeline of {@link LatencyPipelines} on MicroBatch (at
 * one batch interval) or the Direct runner, over a {@link RateSource} at a fixed rate: runs it for
 * {@code --warmupSeconds} unmeasured, then measures every output whose reference time (event arrival,
 * window end) falls in the next {@code --seconds}, waits a grace period for late outputs and cancels.
 * Prints one JSON line (appended to {@code --out} if given) with the latency percentiles and, on
 * MicroBatch, the scheduling delay and processing time of the batches that started in the period (as
 * told to a batch listener).
 *
 * <pre>
 * --runner=microbatch|direct --pipeline=passthrough|windowed --eventsPerSecond=10000
 * --intervalMillis=100 --seconds=20 --warmupSeconds=5 --windowMillis=618 --keys=100 --threads=2
 * --out=results.jsonl   (other arguments go to the pipeline, e.g. --backpressure=false)
 * </pre>
 *
 * <p>The default window of 618 ms is deliberately not a divisor or multiple of the batch intervals
 * (10 ms, 100 ms, 1 s): batches start at a fixed rate, so with 1 s windows every window would end at
 * the same phase of the batch schedule and a run would measure one point of the latency distribution
 * instead of spreading window ends over the interval.
 */
public final class LatencyMain {
  private static final Logger LOG = LoggerFactory.getLogger(LatencyMain.class);

  private LatencyMain() {}

  public static void main(String[] argv) throws IOException {
    RunnerKind runner = RunnerKind.parse(arg(argv, "runner", "microbatch"));
    String pipelineName = arg(argv, "pipeline", "passthrough");
    double rate = Double.parseDouble(arg(argv, "eventsPerSecond", "10000"));
    long interval = Long.parseLong(arg(argv, "intervalMillis", "100"));
    long seconds = Long.parseLong(arg(argv, "seconds", "20"));
    long warmupSeconds = Long.parseLong(arg(argv, "warmupSeconds", "5"));
    long windowMillis = Long.parseLong(arg(argv, "windowMillis", "618"));
    int keys = Integer.parseInt(arg(argv, "keys", "100"));
    int threads = Integer.parseInt(arg(argv, "threads", "2"));
    String out = arg(argv, "out", null);
    String loadBefore = loadAverage();

    List<String> extra = new ArrayList<>(List.of("--streaming=true"));
    extra.addAll(pipelineArgs(argv)); // e.g. --backpressure=false
    if (runner == RunnerKind.MICROBATCH) {
      extra.add("--batchIntervalMillis=" + interval);
    } else if (runner == RunnerKind.DIRECT) {
      extra.add("--blockOnRun=false"); // Otherwise run() only returns when the (endless) pipeline ends.
    }
    Pipeline p = Pipeline.create(PipelineOptionsFactory
        .fromArgs(runner.pipelineArgs(threads, extra).toArray(String[]::new)).create());
    LatencyPipelines.add(p, pipelineName, RateSource.of(rate), Duration.millis(windowMillis), keys);

    PipelineResult result = p.run();
    // A listener, not batchStatistics(), which keeps only the last 1,000 batches (10 s at 10 ms).
    Queue<BatchStatistics> batchLog = new ConcurrentLinkedQueue<>();
    if (result instanceof MicroBatchPipelineResult mb) {
      mb.addBatchListener(batchLog::add);
    }
    long from = WallClock.nowMicros() + warmupSeconds * 1_000_000;
    long until = from + seconds * 1_000_000;
    LatencyRecorder.measure(from, until);
    // Outputs of events (windows) near the period's end still count: give them time to come out.
    long graceMillis = Math.max(3_000, 3 * (runner == RunnerKind.MICROBATCH ? interval : 0));
    LOG.info("{} on {}: {} events/s, warm-up {} s, measuring {} s, grace {} ms", pipelineName,
        runner.label(), rate, warmupSeconds, seconds, graceMillis);
    result.waitUntilFinish(Duration.millis((until - WallClock.nowMicros()) / 1_000 + graceMillis));
    Percentiles latency = LatencyRecorder.snapshot();
    String batches = result instanceof MicroBatchPipelineResult
        ? batchJson(List.copyOf(batchLog), from, until, interval) : "null";
    result.cancel();

    long expected = pipelineName.equals("windowed")
        ? windowEnds(from, until, windowMillis * 1_000) * keys
        : Math.round(seconds * rate / 2);
    String json = String.format(Locale.ROOT,
        "{\"workload\":\"latency\",\"pipeline\":\"%s\",\"runner\":\"%s\",\"mode\":\"streaming\","
            + "\"intervalMillis\":%s,\"eventsPerSecond\":%.0f,\"windowMillis\":%s,\"keys\":%s,"
            + "\"threads\":%d,\"seconds\":%d,\"warmupSeconds\":%d,\"samples\":%d,\"expectedSamples\":%d,"
            + "\"latencyMillis\":%s,\"batches\":%s,\"loadAverage\":{\"before\":\"%s\",\"after\":\"%s\"},"
            + "\"outsidePeriod\":%d,\"overflow\":%d,\"maxHeap\":%d}",
        pipelineName, runner.label(), runner == RunnerKind.MICROBATCH ? Long.toString(interval) : "null",
        rate, pipelineName.equals("windowed") ? Long.toString(windowMillis) : "null",
        pipelineName.equals("windowed") ? Integer.toString(keys) : "null", threads, seconds, warmupSeconds,
        latency.count(), expected, millisJson(latency), batches, loadBefore, loadAverage(),
        LatencyRecorder.outside(), LatencyRecorder.overflow(), Runtime.getRuntime().maxMemory());
    System.out.println(json);
    if (out != null) {
      Files.writeString(Path.of(out), json + "\n", StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
    System.exit(0); // Runners may leave non-daemon threads behind.
  }

  /** Batches that started in the measured period: what the latency is made of. */
  private static String batchJson(List<BatchStatistics> all, long from, long until, long interval) {
    List<BatchStatistics> measured = all.stream()
        .filter(b -> micros(b.start()) >= from && micros(b.start()) < until).toList();
    Percentiles delay = of(measured, b -> b.schedulingDelay().toNanos() / 1_000);
    Percentiles processing = of(measured, b -> b.processingTime().toNanos() / 1_000);
    double records = measured.stream().mapToLong(BatchStatistics::recordsRead).average().orElse(Double.NaN);
    // Backpressure lowers the intake below the arrival rate after slow batches: the source then
    // falls behind, and so does its watermark.
    long minIntake = measured.stream().flatMap(b -> b.intakeLimitPerSource().values().stream())
        .mapToLong(Long::longValue).min().orElse(-1);
    return String.format(Locale.ROOT,
        "{\"count\":%d,\"expected\":%d,\"recordsMean\":%.1f,\"recordsMax\":%d,\"intakeLimitMin\":%d,"
            + "\"schedulingDelayMillis\":%s,\"processingMillis\":%s}",
        measured.size(), (until - from) / 1_000 / interval, records,
        measured.stream().mapToLong(BatchStatistics::recordsRead).max().orElse(0), minIntake,
        millisJson(delay), millisJson(processing));
  }

  private static Percentiles of(List<BatchStatistics> batches, ToLongFunction<BatchStatistics> micros) {
    return Percentiles.of(batches.stream().mapToLong(micros).toArray(), batches.size());
  }

  private static String millisJson(Percentiles micros) {
    if (micros.count() == 0) {
      return "null"; // JSON has no NaN.
    }
    return String.format(Locale.ROOT, "{\"p50\":%.3f,\"p90\":%.3f,\"p99\":%.3f,\"max\":%.3f,\"mean\":%.3f}",
        micros.percentile(50) / 1e3, micros.percentile(90) / 1e3, micros.percentile(99) / 1e3,
        micros.max() / 1e3, micros.mean() / 1e3);
  }

  private static long micros(java.time.Instant t) {
    return t.getEpochSecond() * 1_000_000L + t.getNano() / 1_000;
  }

  /** How many window ends (multiples of the window size since the epoch) lie in {@code [from, until)}. */
  static long windowEnds(long fromMicros, long untilMicros, long windowMicros) {
    return ceilDiv(untilMicros, windowMicros) - ceilDiv(fromMicros, windowMicros);
  }

  private static long ceilDiv(long a, long b) {
    return -Math.floorDiv(-a, b);
  }

  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "n/a";
    }
  }

  private static final List<String> OWN = List.of("runner", "pipeline", "eventsPerSecond", "intervalMillis",
      "seconds", "warmupSeconds", "windowMillis", "keys", "threads", "out");

  /** Arguments this class does not know: they go to the Beam pipeline. */
  private static List<String> pipelineArgs(String[] argv) {
    return java.util.Arrays.stream(argv)
        .filter(a -> OWN.stream().noneMatch(o -> a.startsWith("--" + o + "="))).toList();
  }

  private static String arg(String[] argv, String name, String fallback) {
    String prefix = "--" + name + "=";
    for (String a : argv) {
      if (a.startsWith(prefix)) {
        return a.substring(prefix.length());
      }
    }
    return fallback;
  }
}
