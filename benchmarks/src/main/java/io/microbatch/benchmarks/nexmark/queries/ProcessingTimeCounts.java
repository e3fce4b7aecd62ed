package io.microbatch.benchmarks.nexmark.queries;

import io.microbatch.benchmarks.nexmark.model.Bid;
import io.microbatch.benchmarks.nexmark.model.BidderCount;
import io.microbatch.benchmarks.nexmark.model.Event;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.transforms.windowing.AfterProcessingTime;
import org.apache.beam.sdk.transforms.windowing.DefaultTrigger;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Repeatedly;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;

/**
 * Query 12 (processing-time window): bids per bidder in the global window, a pane every second of
 * processing time after a bidder's first bid in the pane (discarding). Which pane holds which bid
 * depends on the clock, so for the results check the panes are summed per bidder again in the
 * global window with the default trigger: the totals are deterministic.
 */
public final class ProcessingTimeCounts
    extends PTransform<PCollection<Event>, PCollection<BidderCount>> {

  /** The bidder of a bid. */
  static final class BidderOf extends DoFn<Bid, Long> {
    @ProcessElement
    public void process(@Element Bid bid, OutputReceiver<Long> out) {
      out.output(bid.bidder());
    }
  }

  /** The total as a record. */
  static final class Emit extends DoFn<KV<Long, Long>, BidderCount> {
    @ProcessElement
    public void process(@Element KV<Long, Long> total, OutputReceiver<BidderCount> out) {
      out.output(new BidderCount(total.getKey(), total.getValue()));
    }
  }

  @Override
  public PCollection<BidderCount> expand(PCollection<Event> events) {
    return events
        .apply(new Bids())
        .apply("Bidder", ParDo.of(new BidderOf()))
        .apply("ProcessingTimePanes", Window.<Long>into(new GlobalWindows())
            .triggering(Repeatedly.forever(AfterProcessingTime.pastFirstElementInPane()
                .plusDelayOf(Duration.standardSeconds(1))))
            .discardingFiredPanes()
            .withAllowedLateness(Duration.ZERO))
        .apply(Count.perElement())
        .apply("Totals", Window.<KV<Long, Long>>into(new GlobalWindows())
            .triggering(DefaultTrigger.of())
            .discardingFiredPanes())
        .apply(Sum.longsPerKey())
        .apply("Emit", ParDo.of(new Emit()));
  }
}
