package io.microbatch.benchmarks.nexmark.handwritten;

import io.microbatch.benchmarks.nexmark.model.AuctionPrice;
import io.microbatch.benchmarks.nexmark.model.Bid;
import io.microbatch.benchmarks.nexmark.model.Event;
import io.microbatch.benchmarks.nexmark.queries.AuctionFilter;
import java.util.function.Consumer;

/** Query 2 by hand. */
public final class HandwrittenAuctionFilter extends ElementwiseQuery<Event, AuctionPrice> {
  @Override
  protected void process(Event event, Consumer<AuctionPrice> out) {
    Bid bid = event.bid();
    if (bid != null && bid.auction() % AuctionFilter.MODULUS == 0) {
      out.accept(new AuctionPrice(bid.auction(), bid.price()));
    }
  }
}
