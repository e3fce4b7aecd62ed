package io.microbatch.benchmarks.microbatch;

import io.microbatch.engine.stats.BatchStatistics;
import io.microbatch.runner.MicroBatchPipelineResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.GenerateSequence;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.joda.time.Duration;

/**
 * The per-batch overhead of MicroBatch in streaming mode at one batch interval: a pipeline with a
 * source stage and a keyed (combine) stage reads one record every 10 s, so nearly every batch is
 * empty; after a warm-up the batch statistics give the processing time of empty batches and the
 * scheduling delay. Prints one JSON line, appended to {@code --out} if given.
 *
 * <pre>--intervalMillis=10 --seconds=10 --warmupSeconds=2 --out=results.jsonl</pre>
 */
public final class BatchOverheadMain {
  private BatchOverheadMain() {}

  /** Keys every number into one of ten keys. */
  static final class KeyByRemainder extends DoFn<Long, KV<Long, Long>> {
    @ProcessElement
    public void process(@Element Long n, OutputReceiver<KV<Long, Long>> out) {
      out.output(KV.of(n % 10, n));
    }
  }

  public static void main(String[] argv) throws IOException {
    long interval = Long.parseLong(arg(argv, "intervalMillis", "10"));
    long seconds = Long.parseLong(arg(argv, "seconds", "10"));
    long warmupSeconds = Long.parseLong(arg(argv, "warmupSeconds", "2"));
    String out = arg(argv, "out", null);

    Pipeline p = Pipeline.create(PipelineOptionsFactory.fromArgs(
        "--runner=MicroBatchRunner", "--streaming=true", "--parallelism=2",
        "--batchIntervalMillis=" + interval).create());
    p.apply(GenerateSequence.from(0).withRate(1, Duration.standardSeconds(10)))
        .apply(ParDo.of(new KeyByRemainder()))
        .apply(Window.into(FixedWindows.of(Duration.standardSeconds(1))))
        .apply(Count.perKey());
    MicroBatchPipelineResult result = (MicroBatchPipelineResult) p.run();
    result.waitUntilFinish(Duration.standardSeconds(warmupSeconds + seconds));
    result.cancel();

    List<BatchStatistics> all = result.batchStatistics();
    long warmupBatches = warmupSeconds * 1000 / interval;
    List<BatchStatistics> measured = all.stream().filter(b -> b.batchId() >= warmupBatches).toList();
    List<BatchStatistics> empty = measured.stream().filter(b -> b.recordsRead() == 0).toList();
    double[] processing = micros(empty.stream().mapToLong(b -> b.processingTime().toNanos()).toArray());
    double[] delay = micros(measured.stream().mapToLong(b -> b.schedulingDelay().toNanos()).toArray());
    double meanProcessing = Arrays.stream(processing).average().orElse(Double.NaN);
    String json = String.format(Locale.ROOT,
        "{\"workload\":\"empty-batch\",\"runner\":\"microbatch\",\"mode\":\"streaming\","
            + "\"intervalMillis\":%d,\"seconds\":%d,\"batches\":%d,\"emptyBatches\":%d,"
            + "\"expectedBatches\":%d,\"emptyProcessingMicros\":{\"p50\":%.0f,\"p99\":%.0f,\"mean\":%.0f},"
            + "\"schedulingDelayMicros\":{\"p50\":%.0f,\"p99\":%.0f,\"max\":%.0f},"
            + "\"overheadPercent\":%.2f,\"maxHeap\":%d}",
        interval, seconds, measured.size(), empty.size(), seconds * 1000 / interval,
        pct(processing, 50), pct(processing, 99), meanProcessing,
        pct(delay, 50), pct(delay, 99), pct(delay, 100),
        100.0 * meanProcessing / (interval * 1000.0), Runtime.getRuntime().maxMemory());
    System.out.println(json);
    if (out != null) {
      Files.writeString(Path.of(out), json + "\n", StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
    System.exit(0);
  }

  private static double[] micros(long[] nanos) {
    double[] m = Arrays.stream(nanos).mapToDouble(n -> n / 1000.0).toArray();
    Arrays.sort(m);
    return m;
  }

  private static double pct(double[] sorted, int p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
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
