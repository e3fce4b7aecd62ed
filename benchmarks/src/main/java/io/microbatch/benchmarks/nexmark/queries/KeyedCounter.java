package io.microbatch.benchmarks.nexmark.queries;

import io.microbatch.benchmarks.nexmark.model.AuctionWindowCount;
import io.microbatch.benchmarks.nexmark.model.Bid;
import io.microbatch.benchmarks.nexmark.model.Event;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;

/**
 * A keyed counter with state and an event-time timer: bids per auction in fixed 10 s windows,
 * counted in {@code ValueState} and emitted when the timer at the window's end fires.
 */
public final class KeyedCounter
    extends PTransform<PCollection<Event>, PCollection<AuctionWindowCount>> {
  public static final long WINDOW_MILLIS = 10_000;

  @Override
  public PCollection<AuctionWindowCount> expand(PCollection<Event> events) {
    return events
        .apply(new Bids())
        .apply(Window.into(FixedWindows.of(Duration.millis(WINDOW_MILLIS))))
        .apply("KeyByAuction", ParDo.of(new DoFn<Bid, KV<Long, Long>>() {
          @ProcessElement
          public void process(@Element Bid bid, OutputReceiver<KV<Long, Long>> out) {
            out.output(KV.of(bid.auction(), 1L));
          }
        }))
        .apply("Count", ParDo.of(new CountWithTimer()));
  }

  /** Counts per key and window; the timer at the window's end emits and clears the count. */
  static final class CountWithTimer extends DoFn<KV<Long, Long>, AuctionWindowCount> {
    @StateId("count")
    private final StateSpec<ValueState<Long>> countSpec = StateSpecs.value(VarLongCoder.of());

    @TimerId("end")
    private final TimerSpec endSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    @ProcessElement
    public void process(
        @Element KV<Long, Long> element,
        IntervalWindow window,
        @StateId("count") ValueState<Long> count,
        @TimerId("end") Timer end) {
      Long current = count.read();
      count.write((current == null ? 0 : current) + element.getValue());
      end.set(window.maxTimestamp());
    }

    @OnTimer("end")
    public void onEnd(
        @Key Long auction,
        IntervalWindow window,
        @StateId("count") ValueState<Long> count,
        OutputReceiver<AuctionWindowCount> out) {
      Long current = count.read();
      if (current != null) {
        out.output(new AuctionWindowCount(auction, window.start().getMillis(), current));
      }
      count.clear();
    }
  }
}
