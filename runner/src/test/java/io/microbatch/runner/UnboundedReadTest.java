package io.microbatch.runner;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.GenerateSequence;
import org.apache.beam.sdk.io.Read;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/** Unbounded Reads end to end on the MicroBatchRunner in streaming mode. */
class UnboundedReadTest {
  /** Counts per window start (millis), of ON_TIME panes, per test. */
  private static final Map<String, Map<Long, Long>> WINDOW_COUNTS = new ConcurrentHashMap<>();
  /** Values seen per test. */
  private static final Map<String, ConcurrentSkipListSet<Long>> SEEN = new ConcurrentHashMap<>();

  private static final Duration GENEROUS = Duration.standardSeconds(120);

  private static PipelineOptions options(String... args) {
    List<String> all =
        new ArrayList<>(
            List.of(
                "--runner=MicroBatchRunner",
                "--streaming=true",
                "--batchIntervalMillis=10",
                "--parallelism=2"));
    all.addAll(List.of(args));
    return PipelineOptionsFactory.fromArgs(all.toArray(new String[0])).create();
  }

  /** Records each ON_TIME pane's count under its window start. */
  static final class RecordOnTimePanes extends DoFn<Long, Void> {
    private final String test;
    private final Runnable onFirstPane;

    RecordOnTimePanes(String test, SerializableRunnable onFirstPane) {
      this.test = test;
      this.onFirstPane = onFirstPane;
    }

    @ProcessElement
    public void process(@Element Long count, BoundedWindow window, PaneInfo pane) {
      if (pane.getTiming() == PaneInfo.Timing.ON_TIME) {
        WINDOW_COUNTS
            .computeIfAbsent(test, t -> new ConcurrentHashMap<>())
            .put(((IntervalWindow) window).start().getMillis(), count);
        onFirstPane.run();
      }
    }
  }

  /** A runnable that can be shipped inside a DoFn. */
  interface SerializableRunnable extends Runnable, java.io.Serializable {}

  /** Remembers every value it sees. */
  static final class RecordValues extends DoFn<Long, Void> {
    private final String test;

    RecordValues(String test) {
      this.test = test;
    }

    @ProcessElement
    public void process(@Element Long value) {
      SEEN.computeIfAbsent(test, t -> new ConcurrentSkipListSet<>()).add(value);
    }
  }

  /** Logs every value to the source's event log. */
  static final class LogValues extends DoFn<Long, Void> {
    private final String sourceId;

    LogValues(String sourceId) {
      this.sourceId = sourceId;
    }

    @ProcessElement
    public void process(@Element Long value) {
      RecordingUnboundedSource.log(sourceId, "value:" + value);
    }
  }

  /**
   * Logs every value it processes to the source's event log. Its state makes it a keyed step, so
   * it runs behind a shuffle, in a later round of the batch than the read.
   */
  static final class LogProcessedAfterShuffle extends DoFn<KV<Integer, Long>, Void> {
    private final String sourceId;

    @StateId("seen")
    private final StateSpec<ValueState<Long>> seen = StateSpecs.value();

    LogProcessedAfterShuffle(String sourceId) {
      this.sourceId = sourceId;
    }

    @ProcessElement
    public void process(@Element KV<Integer, Long> element, @StateId("seen") ValueState<Long> seen) {
      Long before = seen.read();
      seen.write(before == null ? 1 : before + 1);
      RecordingUnboundedSource.log(sourceId, "processed:" + element.getValue());
    }
  }

  private static PCollection<Long> fixedWindowCounts(PCollection<Long> input) {
    return input
        .apply(Window.into(FixedWindows.of(Duration.standardSeconds(1))))
        .apply(Combine.globally(Count.<Long>combineFn()).withoutDefaults());
  }

  @Test
  void countsEveryFixedWindowOfAnEndlessSequenceUntilCancelled() throws Exception {
    String test = "endless";
    WINDOW_COUNTS.remove(test);
    Pipeline p = Pipeline.create(options("--maxRecordsPerBatch=1000"));
    // 100 numbers per second of event time; the source never ends.
    PCollection<Long> numbers =
        p.apply(GenerateSequence.from(0).withTimestampFn(i -> new Instant(i * 10)));
    assertThat(numbers.isBounded(), equalTo(PCollection.IsBounded.UNBOUNDED));
    fixedWindowCounts(numbers).apply(ParDo.of(new RecordOnTimePanes(test, () -> {})));

    PipelineResult result = p.run();
    Map<Long, Long> counts = waitForWindows(test, 5, result);
    assertThat(result.getState(), equalTo(PipelineResult.State.RUNNING));
    assertThat(result.cancel(), equalTo(PipelineResult.State.CANCELLED));
    for (long start = 0; start < 5000; start += 1000) {
      assertThat("window at " + start, counts.get(start), equalTo(100L));
    }
  }

  @Test
  void firesFixedWindowsOnTheWatermarkBeforeTheSourceEnds() {
    String id = "held";
    WINDOW_COUNTS.remove(id);
    long[] values = new long[30];
    for (int i = 0; i < values.length; i++) {
      values[i] = i;
    }
    // Values every 100 ms; the source only ends once a window fired downstream, so the pipeline
    // can only finish if its watermark fired windows while it was still running.
    RecordingUnboundedSource source = RecordingUnboundedSource.of(id, values, 100, false, true);
    Pipeline p = Pipeline.create(options("--maxRecordsPerBatch=4"));
    fixedWindowCounts(p.apply(Read.from(source)))
        .apply(ParDo.of(new RecordOnTimePanes(id, () -> RecordingUnboundedSource.release(id))));

    PipelineResult result = p.run();
    assertThat(result.waitUntilFinish(GENEROUS), equalTo(PipelineResult.State.DONE));
    assertThat(
        new TreeMap<>(WINDOW_COUNTS.get(id)), equalTo(Map.of(0L, 10L, 1000L, 10L, 2000L, 10L)));
  }

  @Test
  void slicesTheInputAcrossBatchesByMaxRecordsPerBatch() {
    String id = "sliced";
    SEEN.remove(id);
    Pipeline p = Pipeline.create(options("--maxRecordsPerBatch=10"));
    p.apply("ReadSliced", Read.from(RecordingUnboundedSource.counting(id, 45, 1)))
        .apply(ParDo.of(new RecordValues(id)));

    PipelineResult result = p.run();
    assertThat(result.waitUntilFinish(GENEROUS), equalTo(PipelineResult.State.DONE));

    assertThat(SEEN.get(id).size(), equalTo(45));
    DistributionResult slices = recordsPerSlice(result);
    assertThat(slices.getSum(), equalTo(45L));
    assertThat(slices.getMax(), lessThanOrEqualTo(10L));
    assertThat(slices.getCount(), greaterThanOrEqualTo(5L));
    List<Integer> marks = markOffsets(RecordingUnboundedSource.events(id), "mark:");
    List<Integer> sizes = new ArrayList<>();
    for (int i = 0, last = -1; i < marks.size(); last = marks.get(i++)) {
      sizes.add(marks.get(i) - last);
    }
    assertThat(sizes, everyItem(lessThanOrEqualTo(10)));
    assertThat(marks, hasItem(44));
  }

  @Test
  void capsEachBatchByTheRateLimitsBucketOfOneSecond() {
    String id = "rate";
    SEEN.remove(id);
    // At 5 records per second no batch can read more than the bucket holds (5), however the
    // batches fall in time; the 12 records need at least three batches.
    Pipeline p =
        Pipeline.create(
            options("--maxRecordsPerBatch=1000", "--maxRecordsPerSecond=5"));
    p.apply("ReadRateLimited", Read.from(RecordingUnboundedSource.counting(id, 12, 1)))
        .apply(ParDo.of(new RecordValues(id)));

    PipelineResult result = p.run();
    assertThat(result.waitUntilFinish(GENEROUS), equalTo(PipelineResult.State.DONE));

    assertThat(SEEN.get(id).size(), equalTo(12));
    DistributionResult slices = recordsPerSlice(result);
    assertThat(slices.getSum(), equalTo(12L));
    assertThat(slices.getMax(), lessThanOrEqualTo(5L));
    assertThat(slices.getCount(), greaterThanOrEqualTo(3L));
  }

  @Test
  void metricsReportedWhileFinalizingCheckpointMarksCountUnderTheReadStep() {
    String id = "finalize-metrics";
    Pipeline p = Pipeline.create(options("--maxRecordsPerBatch=5"));
    p.apply("ReadNumbers", Read.from(RecordingUnboundedSource.counting(id, 20, 1)))
        .apply(WithKeys.of(0))
        .apply(ParDo.of(new LogProcessedAfterShuffle(id)));

    PipelineResult result = p.run();
    assertThat(result.waitUntilFinish(GENEROUS), equalTo(PipelineResult.State.DONE));

    int finalized = markOffsets(RecordingUnboundedSource.events(id), "finalize:").size();
    assertThat(finalized, greaterThanOrEqualTo(4));
    MetricResult<Long> counted =
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(
                        MetricNameFilter.named(
                            RecordingUnboundedSource.class,
                            RecordingUnboundedSource.MARKS_FINALIZED))
                    .build())
            .getCounters()
            .iterator()
            .next();
    assertThat(counted.getKey().stepName(), equalTo("ReadNumbers"));
    assertThat(counted.getCommitted(), equalTo((long) finalized));
  }

  @Test
  void finalizesCheckpointMarksOnlyAfterTheBatchThatReadThemCommitted() {
    String id = "finalize";
    Pipeline p = Pipeline.create(options("--maxRecordsPerBatch=5"));
    p.apply(Read.from(RecordingUnboundedSource.counting(id, 20, 1)))
        .apply(WithKeys.of(0))
        .apply(ParDo.of(new LogProcessedAfterShuffle(id)));

    PipelineResult result = p.run();
    assertThat(result.waitUntilFinish(GENEROUS), equalTo(PipelineResult.State.DONE));

    List<String> events = RecordingUnboundedSource.events(id);
    List<Integer> marks = markOffsets(events, "mark:");
    List<Integer> finalized = markOffsets(events, "finalize:");
    // Every mark finalized once, in the order taken, over several batches.
    assertThat(finalized, equalTo(marks));
    assertThat(marks.size(), greaterThanOrEqualTo(4));
    assertThat(marks, hasItem(19));
    // Each mark is finalized before the next batch takes its own, and only after the stage
    // behind the shuffle (a later round of the same batch) processed every value it covers.
    int batch = 0;
    List<Integer> processed = new ArrayList<>();
    String expectedNext = "mark:";
    for (String event : events) {
      if (event.startsWith("processed:")) {
        processed.add(Integer.parseInt(event.substring("processed:".length())));
        continue;
      }
      assertThat(events.toString(), event, containsString(expectedNext));
      if (event.startsWith("finalize:")) {
        int covered = finalized.get(batch++);
        for (int v = 0; v <= covered; v++) {
          assertThat("finalize:" + covered + " in " + events, processed, hasItem(v));
        }
        expectedNext = "mark:";
      } else {
        expectedNext = "finalize:";
      }
    }
  }

  @Test
  void dropsRepeatedRecordIdsOfASourceThatRequiresDeduping() {
    String id = "dedup";
    long[] values = {0, 1, 1, 2, 3, 3, 3, 4};
    Pipeline p = Pipeline.create(options("--maxRecordsPerBatch=3"));
    p.apply(Read.from(RecordingUnboundedSource.of(id, values, 1, true, false)))
        .apply(ParDo.of(new LogValues(id)));

    PipelineResult result = p.run();
    assertThat(result.waitUntilFinish(GENEROUS), equalTo(PipelineResult.State.DONE));
    List<Integer> emitted = markOffsets(RecordingUnboundedSource.events(id), "value:");
    emitted.sort(null);
    assertThat(emitted, equalTo(List.of(0, 1, 2, 3, 4)));
    MetricResult<Long> dropped =
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(
                        MetricNameFilter.named("microbatch.source", "duplicatesDropped"))
                    .build())
            .getCounters()
            .iterator()
            .next();
    assertThat(dropped.getCommitted(), equalTo(3L));
  }

  @Test
  void readsASequenceBoundedWithToAndARateToItsEnd() {
    String test = "to";
    SEEN.remove(test);
    Pipeline p = Pipeline.create(options());
    p.apply(GenerateSequence.from(0).to(50).withRate(1000, Duration.standardSeconds(1)))
        .apply(ParDo.of(new RecordValues(test)));

    PipelineResult result = p.run();
    assertThat(result.waitUntilFinish(GENEROUS), equalTo(PipelineResult.State.DONE));
    assertThat(SEEN.get(test).size(), equalTo(50));
    assertThat(SEEN.get(test).last(), equalTo(49L));
  }

  @Test
  void refusesNonPositiveMaxRecordsPerBatchNamingTheOption() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> MicroBatchRunner.fromOptions(options("--maxRecordsPerBatch=0")));
    assertThat(e.getMessage(), containsString("--maxRecordsPerBatch"));
  }

  @Test
  void refusesNegativeMaxRecordsPerSecondNamingTheOption() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> MicroBatchRunner.fromOptions(options("--maxRecordsPerSecond=-1")));
    assertThat(e.getMessage(), containsString("--maxRecordsPerSecond"));
  }

  private static Map<Long, Long> waitForWindows(String test, int windows, PipelineResult result)
      throws Exception {
    long deadline = System.currentTimeMillis() + GENEROUS.getMillis();
    while (System.currentTimeMillis() < deadline) {
      Map<Long, Long> counts = WINDOW_COUNTS.getOrDefault(test, Map.of());
      boolean all = true;
      for (long start = 0; start < windows * 1000L; start += 1000) {
        all &= counts.containsKey(start);
      }
      if (all) {
        return new TreeMap<>(counts);
      }
      if (result.getState().isTerminal()) {
        result.waitUntilFinish();
        throw new AssertionError("The pipeline ended as " + result.getState());
      }
      Thread.sleep(20);
    }
    result.cancel();
    throw new AssertionError("No " + windows + " windows fired: " + WINDOW_COUNTS.get(test));
  }

  private static DistributionResult recordsPerSlice(PipelineResult result) {
    return result
        .metrics()
        .queryMetrics(
            MetricsFilter.builder()
                .addNameFilter(
                    MetricNameFilter.named("microbatch.source", "recordsReadPerSplitAndBatch"))
                .build())
        .getDistributions()
        .iterator()
        .next()
        .getCommitted();
  }

  private static List<Integer> markOffsets(List<String> events, String prefix) {
    List<Integer> offsets = new ArrayList<>();
    for (String event : events) {
      if (event.startsWith(prefix)) {
        offsets.add(Integer.parseInt(event.substring(prefix.length())));
      }
    }
    return offsets;
  }
}
