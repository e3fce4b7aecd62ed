package io.microbatch.benchmarks.nexmark.queries;

import io.microbatch.benchmarks.nexmark.model.Bid;
import io.microbatch.benchmarks.nexmark.model.BidderSession;
import io.microbatch.benchmarks.nexmark.model.Event;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.Sessions;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;

/** Query 11 (session windows): bids per bidder per session, sessions closing after a 10 s gap. */
public final class BidderSessions extends PTransform<PCollection<Event>, PCollection<BidderSession>> {
  public static final long GAP_MILLIS = 10_000;

  /** The bidder of a bid. */
  static final class BidderOf extends DoFn<Bid, Long> {
    @ProcessElement
    public void process(@Element Bid bid, OutputReceiver<Long> out) {
      out.output(bid.bidder());
    }
  }

  /** A count with its session. */
  static final class Emit extends DoFn<KV<Long, Long>, BidderSession> {
    @ProcessElement
    public void process(
        @Element KV<Long, Long> count, IntervalWindow session, OutputReceiver<BidderSession> out) {
      out.output(new BidderSession(count.getKey(), count.getValue(),
          session.start().getMillis(), session.end().getMillis()));
    }
  }

  @Override
  public PCollection<BidderSession> expand(PCollection<Event> events) {
    return events
        .apply(new Bids())
        .apply(Window.into(Sessions.withGapDuration(Duration.millis(GAP_MILLIS))))
        .apply("Bidder", ParDo.of(new BidderOf()))
        .apply(Count.perElement())
        .apply("Emit", ParDo.of(new Emit()));
  }
}
