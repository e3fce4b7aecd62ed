package io.microbatch.runner.recovery;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.Read;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;

/**
 * A job whose output is files: numbers 0..count-1 (event time = the number in millis) in fixed
 * windows of {@value #WINDOW_MILLIS} ms, summed per key (number mod 5) by a keyed combine that
 * fires on event-time timers, one line {@code window-start,key,sum} each, written with TextIO in
 * windowed writes of {@value #SHARDS} shards. Exactly once means every expected line appears in
 * exactly one output file.
 */
public final class WindowedCountsToFiles {
  static final long WINDOW_MILLIS = 100;
  static final int SHARDS = 2;
  static final String PREFIX = "sums";

  private WindowedCountsToFiles() {}

  public static Pipeline create(PipelineOptions options, long count, Path out) {
    Pipeline p = Pipeline.create(options);
    p.apply("Numbers", Read.from(new ResumableCountingSource(count)))
        .apply("Windows", Window.into(FixedWindows.of(Duration.millis(WINDOW_MILLIS))))
        .apply(
            "ByKey",
            MapElements.into(TypeDescriptors.kvs(TypeDescriptors.longs(), TypeDescriptors.longs()))
                .via(v -> KV.of(v % 5, v)))
        .apply("Sum", Combine.perKey(Sum.ofLongs()))
        .apply("Format", ParDo.of(new FormatFn()))
        .apply(
            "Write",
            TextIO.write()
                .to(out.resolve(PREFIX).toString())
                .withWindowedWrites()
                .withNumShards(SHARDS));
    return p;
  }

  /** {@code window-start,key,sum}. */
  static final class FormatFn extends DoFn<KV<Long, Long>, String> {
    @ProcessElement
    public void process(ProcessContext c, IntervalWindow window) {
      c.output(window.start().getMillis() + "," + c.element().getKey() + "," + c.element().getValue());
    }
  }

  /** Every line an uninterrupted run writes, sorted. */
  static List<String> expectedLines(long count) {
    List<String> lines = new ArrayList<>();
    for (long start = 0; start < count; start += WINDOW_MILLIS) {
      for (long key = 0; key < 5; key++) {
        long sum = 0;
        boolean any = false;
        for (long v = start; v < Math.min(start + WINDOW_MILLIS, count); v++) {
          if (v % 5 == key) {
            sum += v;
            any = true;
          }
        }
        if (any) {
          lines.add(start + "," + key + "," + sum);
        }
      }
    }
    lines.sort(null);
    return lines;
  }

  /** Every line of every published output file (not the staging directory), sorted. */
  static List<String> publishedLines(Path out) throws IOException {
    List<String> lines = new ArrayList<>();
    if (!Files.isDirectory(out)) {
      return lines;
    }
    try (Stream<Path> files = Files.list(out)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        if (file.getFileName().toString().startsWith(PREFIX)) {
          lines.addAll(Files.readAllLines(file));
        }
      }
    }
    lines.sort(null);
    return lines;
  }
}
