package io.microbatch.benchmarks.nexmark.handwritten;

import io.microbatch.benchmarks.harness.OutputDigest;
import io.microbatch.benchmarks.nexmark.generator.ElementGenerator;
import io.microbatch.benchmarks.nexmark.model.Bid;
import io.microbatch.benchmarks.nexmark.model.Event;
import io.microbatch.benchmarks.nexmark.model.WindowedBid;
import io.microbatch.benchmarks.nexmark.queries.HighestBid;
import java.util.HashMap;
import java.util.Map;

/** Query 7 by hand: one pass, the best bid per window start in a hash map. */
public final class HandwrittenHighestBid implements HandwrittenQuery<Event, WindowedBid> {
  @Override
  public void run(ElementGenerator<Event> generator, int threads, OutputDigest out) {
    HighestBid.ByPrice order = new HighestBid.ByPrice();
    Map<Long, Bid> best = new HashMap<>();
    long count = generator.config().count();
    for (long i = 0; i < count; i++) {
      Bid bid = generator.element(i).bid();
      if (bid != null) {
        long window = Math.floorDiv(bid.dateTime(), HighestBid.WINDOW_MILLIS) * HighestBid.WINDOW_MILLIS;
        best.merge(window, bid, (a, b) -> order.compare(a, b) >= 0 ? a : b);
      }
    }
    best.forEach((window, bid) -> out.add(new WindowedBid(window, bid)));
  }
}
