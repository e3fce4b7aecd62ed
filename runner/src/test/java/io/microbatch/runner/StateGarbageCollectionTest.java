package io.microbatch.runner;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Keyed state and timers are garbage-collected at window expiry, on both backends. */
class StateGarbageCollectionTest {

  /** Counts per key and window in state, flushed by an event-time timer. */
  static final class CountWithTimer extends DoFn<KV<String, Long>, KV<String, Long>> {
    @StateId("count")
    private final StateSpec<ValueState<Long>> count = StateSpecs.value();

    @TimerId("flush")
    private final TimerSpec flush = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    @ProcessElement
    public void process(
        @Element KV<String, Long> element,
        BoundedWindow window,
        @StateId("count") ValueState<Long> count,
        @TimerId("flush") Timer timer) {
      Long current = count.read();
      count.write(current == null ? 1 : current + 1);
      timer.set(window.maxTimestamp());
    }

    @OnTimer("flush")
    public void flush(@StateId("count") ValueState<Long> count, OutputReceiver<KV<String, Long>> out) {
      out.output(KV.of("flushed", count.read()));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"rocksdb", "memory"})
  void everyWindowsStateIsGoneAfterTheRun(String backend) {
    MicroBatchPipelineOptions options =
        PipelineOptionsFactory.fromArgs("--runner=MicroBatchRunner", "--stateBackend=" + backend)
            .as(MicroBatchPipelineOptions.class);
    Pipeline p = Pipeline.create(options);
    Create.TimestampedValues<KV<String, Long>> input =
        Create.timestamped(
            TimestampedValue.of(KV.of("a", 1L), new Instant(1_000)),
            TimestampedValue.of(KV.of("b", 2L), new Instant(12_000)),
            TimestampedValue.of(KV.of("a", 3L), new Instant(25_000)),
            TimestampedValue.of(KV.of("c", 4L), new Instant(70_000)));
    p.apply(input)
        .apply(
            Window.<KV<String, Long>>into(FixedWindows.of(Duration.standardSeconds(10)))
                .withAllowedLateness(Duration.standardSeconds(30))
                .discardingFiredPanes())
        .apply(ParDo.of(new CountWithTimer()))
        .apply(GroupByKey.create());
    MicroBatchPipelineResult result = (MicroBatchPipelineResult) p.run();
    assertThat(result.waitUntilFinish(), equalTo(PipelineResult.State.DONE));
    assertThat(result.partitionsWithStateLeft(), equalTo(0));
  }
}
