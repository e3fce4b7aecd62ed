package io.microbatch.spark.bench;

import io.microbatch.spark.pipelines.WriteLines;
import java.nio.file.Path;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.io.GenerateSequence;
import org.apache.beam.sdk.io.Read;
import org.apache.beam.sdk.io.UnboundedSource;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;

/**
 * The benchmark's pipelines, ordinary Beam pipelines that run unchanged on either executor and
 * write their results through {@link WriteLines} (one file per bundle, named by the writing
 * process), so the recovery benchmark can tell which executor process ran keyed partitions.
 */
public final class BenchPipelines {
  private BenchPipelines() {}

  /**
   * Batch word count over {@code records} generated numbers: each number becomes one of 5,000
   * words, {@code Count.perElement} (a combiner lifted before the driver-routed shuffle), and the
   * counts are written. The bounded source's splits run on the executors, so both workers read.
   */
  public static void batchWordCount(Pipeline pipeline, long records, Path out) {
    pipeline
        .apply("Numbers", GenerateSequence.from(0).to(records))
        .apply("Word", MapElements.into(TypeDescriptors.strings())
            // A multiplicative hash spreads consecutive numbers over the words.
            .via((Long n) -> "w" + Math.floorMod(n * 0x9E3779B97F4A7C15L, 5000L)))
        .apply("CountWords", Count.perElement())
        .apply("Format", MapElements.into(TypeDescriptors.strings())
            .via((KV<String, Long> kv) -> kv.getKey() + "=" + kv.getValue()))
        .apply("Write", ParDo.of(new WriteLines(out)));
  }

  /**
   * Streaming keyed windowed counts (like the tests' {@code streamingWindowedCounts}): numbers
   * from {@code source}, keyed by {@code n % 7} into one-second windows, {@code Count.perKey} and,
   * on the same input, a stateful DoFn counting in state and emitting on an end-of-window timer;
   * both results are written. Every record crosses the driver-routed shuffle into both keyed
   * stages.
   */
  public static void streamingCounts(
      Pipeline pipeline, UnboundedSource<Long, ?> source, Path out) {
    PCollection<KV<String, Integer>> keyed = pipeline
        .apply("Numbers", Read.from(source))
        .apply("Key", MapElements.into(TypeDescriptors.kvs(
                TypeDescriptors.strings(), TypeDescriptors.integers()))
            .via((Long n) -> KV.of("k" + (n % 7), n.intValue())))
        .apply("Seconds", Window.into(FixedWindows.of(Duration.standardSeconds(1))));
    PCollection<String> counts = keyed
        .apply("CountPerKey", Count.perKey())
        .apply("FormatCount", MapElements.into(TypeDescriptors.strings())
            .via((KV<String, Long> kv) -> "count " + kv.getKey() + "=" + kv.getValue()));
    PCollection<String> timers = keyed
        .apply("CountOnTimer", ParDo.of(new CountOnTimer()))
        .apply("FormatTimer", MapElements.into(TypeDescriptors.strings()).via(s -> "timer " + s));
    PCollectionList.of(counts).and(timers)
        .apply("Results", Flatten.pCollections())
        .apply("Write", ParDo.of(new WriteLines(out)));
  }

  /** Counts a key's elements per window in state; the end-of-window timer emits the count. */
  static final class CountOnTimer extends DoFn<KV<String, Integer>, String> {
    @StateId("count")
    private final StateSpec<ValueState<Long>> countSpec = StateSpecs.value(VarLongCoder.of());

    @StateId("key")
    private final StateSpec<ValueState<String>> keySpec = StateSpecs.value(StringUtf8Coder.of());

    @TimerId("end")
    private final TimerSpec endSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    @ProcessElement
    public void process(@Element KV<String, Integer> element, BoundedWindow window,
        @StateId("count") ValueState<Long> count, @StateId("key") ValueState<String> key,
        @TimerId("end") Timer end) {
      Long current = count.read();
      count.write(current == null ? 1 : current + 1);
      key.write(element.getKey());
      end.set(window.maxTimestamp());
    }

    @OnTimer("end")
    public void onEnd(OnTimerContext context, @StateId("count") ValueState<Long> count,
        @StateId("key") ValueState<String> key) {
      IntervalWindow window = (IntervalWindow) context.window();
      context.output(key.read() + "@" + window.start().getMillis() + "=" + count.read());
    }
  }
}
