package io.microbatch.benchmarks.nexmark.queries;

import io.microbatch.benchmarks.nexmark.model.AuctionPrice;
import io.microbatch.benchmarks.nexmark.model.Bid;
import io.microbatch.benchmarks.nexmark.model.Event;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/** Query 2 (filter): auction and price of the bids on auctions whose id is a multiple of 123. */
public final class AuctionFilter extends PTransform<PCollection<Event>, PCollection<AuctionPrice>> {
  public static final long MODULUS = 123;

  @Override
  public PCollection<AuctionPrice> expand(PCollection<Event> events) {
    return events.apply("SelectAuctions", ParDo.of(new DoFn<Event, AuctionPrice>() {
      @ProcessElement
      public void process(@Element Event event, OutputReceiver<AuctionPrice> out) {
        Bid bid = event.bid();
        if (bid != null && bid.auction() % MODULUS == 0) {
          out.output(new AuctionPrice(bid.auction(), bid.price()));
        }
      }
    }));
  }
}
