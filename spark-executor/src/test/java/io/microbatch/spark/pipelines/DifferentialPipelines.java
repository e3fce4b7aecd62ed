package io.microbatch.spark.pipelines;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.FlatMapElements;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Ordinary Beam pipelines, unchanged whatever executor runs them, each writing its result as text
 * lines to a directory ({@link WriteLines}) so that two runs can be compared line for line.
 */
public final class DifferentialPipelines {
  private static final Instant START = new Instant(1_700_000_000_000L);

  private DifferentialPipelines() {}

  /** Word count: split lines, Count.perElement (a combiner lifted before the shuffle). */
  public static void wordCount(Pipeline pipeline, Path out) {
    Random random = new Random(42);
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      StringBuilder line = new StringBuilder();
      for (int w = 0; w < 8; w++) {
        line.append("w").append(random.nextInt(60)).append(' ');
      }
      lines.add(line.toString().trim());
    }
    pipeline
        .apply("Lines", Create.of(lines).withCoder(StringUtf8Coder.of()))
        .apply("Split", FlatMapElements.into(TypeDescriptors.strings())
            .via((String line) -> List.of(line.split(" "))))
        .apply("CountWords", ParDo.of(new CountWords()))
        .apply("Count", Count.perElement())
        .apply("Format", MapElements.into(TypeDescriptors.strings())
            .via((KV<String, Long> kv) -> kv.getKey() + "=" + kv.getValue()))
        .apply("Write", ParDo.of(new WriteLines(out)));
  }

  /** GroupByKey per one-minute event-time window of timestamped values. */
  public static void windowedGroupByKey(Pipeline pipeline, Path out) {
    pipeline
        .apply("Events", Create.timestamped(events())
            .withCoder(KvCoder.of(StringUtf8Coder.of(), VarIntCoder.of())))
        .apply("Minutes", Window.into(FixedWindows.of(Duration.standardMinutes(1))))
        .apply("Group", GroupByKey.create())
        .apply("Format", ParDo.of(new DoFn<KV<String, Iterable<Integer>>, String>() {
          @ProcessElement
          public void process(@Element KV<String, Iterable<Integer>> group, BoundedWindow window,
              OutputReceiver<String> output) {
            List<Integer> values = StreamSupport.stream(group.getValue().spliterator(), false)
                .sorted().collect(Collectors.toList());
            output.output(group.getKey() + "@" + ((IntervalWindow) window).start().getMillis()
                + "=" + values);
          }
        }))
        .apply("Write", ParDo.of(new WriteLines(out)));
  }

  /** A stateful DoFn counting per key and window, emitting once an event-time timer fires. */
  public static void statefulWithTimers(Pipeline pipeline, Path out) {
    pipeline
        .apply("Events", Create.timestamped(events())
            .withCoder(KvCoder.of(StringUtf8Coder.of(), VarIntCoder.of())))
        .apply("Minutes", Window.into(FixedWindows.of(Duration.standardMinutes(1))))
        .apply("CountOnTimer", ParDo.of(new CountOnTimer()))
        .apply("Write", ParDo.of(new WriteLines(out)));
  }

  /** Scales every element by a side input: the sum of another collection. */
  public static void sideInput(Pipeline pipeline, Path out) {
    List<Integer> factors = List.of(1, 2, 3, 4);
    PCollectionView<Integer> sum = pipeline
        .apply("Factors", Create.of(factors).withCoder(VarIntCoder.of()))
        .apply("Sum", Sum.integersGlobally().asSingletonView());
    List<Integer> numbers = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      numbers.add(i);
    }
    pipeline
        .apply("Numbers", Create.of(numbers).withCoder(VarIntCoder.of()))
        .apply("Scale", ParDo.of(new DoFn<Integer, String>() {
          @ProcessElement
          public void process(@Element Integer n, ProcessContext context) {
            context.output(n + "*" + context.sideInput(sum) + "=" + n * context.sideInput(sum));
          }
        }).withSideInputs(sum))
        .apply("Write", ParDo.of(new WriteLines(out)));
  }

  /** Flatten of two inputs, then a count per first letter and a global count. */
  public static void flatten(Pipeline pipeline, Path out) {
    List<String> left = new ArrayList<>();
    List<String> right = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      left.add("a" + i);
      right.add((i % 2 == 0 ? "b" : "c") + i);
    }
    PCollection<String> all = PCollectionList
        .of(pipeline.apply("Left", Create.of(left).withCoder(StringUtf8Coder.of())))
        .and(pipeline.apply("Right", Create.of(right).withCoder(StringUtf8Coder.of())))
        .apply("Both", Flatten.pCollections());
    PCollection<String> perLetter = all
        .apply("Letter", MapElements.into(TypeDescriptors.strings()).via(s -> s.substring(0, 1)))
        .apply("PerLetter", Count.perElement())
        .apply("FormatLetter", MapElements.into(TypeDescriptors.strings())
            .via((KV<String, Long> kv) -> kv.getKey() + ":" + kv.getValue()));
    PCollection<String> total = all
        .apply("Total", Count.globally())
        .apply("FormatTotal", MapElements.into(TypeDescriptors.strings()).via(n -> "total:" + n));
    PCollectionList.of(perLetter).and(total)
        .apply("Results", Flatten.pCollections())
        .apply("Write", ParDo.of(new WriteLines(out)));
  }

  /**
   * Streaming: 3000 numbers from an unbounded source (10 ms of event time apart, so 30 s), keyed
   * by {@code n % 7} into one-second fixed windows, then a keyed combine ({@code Count.perKey})
   * and, on the same input, a stateful DoFn with an end-of-window event-time timer. Run with
   * {@code --streaming=true} and a small {@code --maxRecordsPerBatch}, so it takes many batches
   * and windows fire on the watermark between them.
   */
  public static void streamingWindowedCounts(Pipeline pipeline, Path out) {
    streamingResults(pipeline).apply("Write", ParDo.of(new WriteLines(out)));
  }

  /**
   * {@link #streamingWindowedCounts}, whose results also go through {@code TextIO}'s windowed
   * write into {@code files} (2 shards per window): in streaming mode the runner stages each
   * shard's file and publishes it after its batch committed (bundle finalization), so the files
   * hold every result exactly once, also across failures.
   */
  public static void streamingWindowedCountsToFiles(Pipeline pipeline, Path out, Path files) {
    PCollection<String> results = streamingResults(pipeline);
    results.apply("Write", ParDo.of(new WriteLines(out)));
    results.apply("WriteFiles", org.apache.beam.sdk.io.TextIO.write()
        .to(files.resolve("results").toString()).withWindowedWrites().withNumShards(2));
  }

  private static PCollection<String> streamingResults(Pipeline pipeline) {
    return streamingResults(pipeline, new FiniteUnboundedSource(3000, START, 10));
  }

  /**
   * The results of {@link #streamingWindowedCounts} over any source of numbers: per key and
   * one-second window, a {@code Count.perKey} line and a line from a stateful DoFn's timer.
   */
  public static PCollection<String> streamingResults(
      Pipeline pipeline, org.apache.beam.sdk.io.UnboundedSource<Long, ?> source) {
    PCollection<KV<String, Integer>> keyed = pipeline
        .apply("Numbers", org.apache.beam.sdk.io.Read.from(source))
        .apply("Key", MapElements.into(TypeDescriptors.kvs(
                TypeDescriptors.strings(), TypeDescriptors.integers()))
            .via((Long n) -> KV.of("k" + (n % 7), n.intValue())))
        .apply("Seconds", Window.into(FixedWindows.of(Duration.standardSeconds(1))));
    PCollection<String> counts = keyed
        .apply("CountPerKey", Count.perKey())
        .apply("FormatCount", ParDo.of(new DoFn<KV<String, Long>, String>() {
          private final Counter windows = Metrics.counter(DifferentialPipelines.class, "windows");

          @ProcessElement
          public void process(@Element KV<String, Long> kv, BoundedWindow window,
              OutputReceiver<String> output) {
            windows.inc();
            output.output("count " + kv.getKey() + "@"
                + ((IntervalWindow) window).start().getMillis() + "=" + kv.getValue());
          }
        }));
    PCollection<String> timers = keyed
        .apply("CountOnTimer", ParDo.of(new CountOnTimer()))
        .apply("FormatTimer", MapElements.into(TypeDescriptors.strings()).via(s -> "timer " + s));
    return PCollectionList.of(counts).and(timers).apply("Results", Flatten.pCollections());
  }

  /** Passes words through, counting them and their letters in user metrics. */
  static final class CountWords extends DoFn<String, String> {
    private final Counter words = Metrics.counter(DifferentialPipelines.class, "words");
    private final Distribution lengths =
        Metrics.distribution(DifferentialPipelines.class, "wordLength");

    @ProcessElement
    public void process(@Element String word, OutputReceiver<String> output) {
      words.inc();
      lengths.update(word.length());
      output.output(word);
    }
  }

  private static List<TimestampedValue<KV<String, Integer>>> events() {
    Random random = new Random(7);
    List<TimestampedValue<KV<String, Integer>>> events = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      events.add(TimestampedValue.of(KV.of("k" + random.nextInt(12), i),
          START.plus(Duration.standardSeconds(random.nextInt(300)))));
    }
    return events;
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
