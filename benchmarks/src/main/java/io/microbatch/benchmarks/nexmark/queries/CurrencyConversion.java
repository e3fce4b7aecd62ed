package io.microbatch.benchmarks.nexmark.queries;

import io.microbatch.benchmarks.nexmark.model.Bid;
import io.microbatch.benchmarks.nexmark.model.BidCoder;
import io.microbatch.benchmarks.nexmark.model.Event;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/** Query 1 (projection): every bid with its price converted from dollars to euros (x 0.89). */
public final class CurrencyConversion extends PTransform<PCollection<Event>, PCollection<Bid>> {
  /** The conversion, shared with the hand-written version. */
  public static Bid toEuros(Bid bid) {
    return new Bid(bid.auction(), bid.bidder(), bid.price() * 89 / 100, bid.dateTime());
  }

  @Override
  public PCollection<Bid> expand(PCollection<Event> events) {
    return events.apply("ToEuros", ParDo.of(new DoFn<Event, Bid>() {
      @ProcessElement
      public void process(@Element Event event, OutputReceiver<Bid> out) {
        if (event.bid() != null) {
          out.output(toEuros(event.bid()));
        }
      }
    })).setCoder(BidCoder.of());
  }
}
