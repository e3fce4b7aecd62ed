package io.microbatch.benchmarks.nexmark.handwritten;

import io.microbatch.benchmarks.harness.OutputDigest;
import io.microbatch.benchmarks.nexmark.generator.ElementGenerator;
import io.microbatch.benchmarks.nexmark.model.Bid;
import io.microbatch.benchmarks.nexmark.model.BidderCount;
import io.microbatch.benchmarks.nexmark.model.Event;
import java.util.HashMap;
import java.util.Map;

/** Query 12 by hand: the per-bidder totals that the processing-time panes add up to. */
public final class HandwrittenProcessingTimeCounts implements HandwrittenQuery<Event, BidderCount> {
  @Override
  public void run(ElementGenerator<Event> generator, int threads, OutputDigest out) {
    Map<Long, long[]> counts = new HashMap<>();
    long count = generator.config().count();
    for (long i = 0; i < count; i++) {
      Bid bid = generator.element(i).bid();
      if (bid != null) {
        counts.computeIfAbsent(bid.bidder(), b -> new long[1])[0]++;
      }
    }
    counts.forEach((bidder, c) -> out.add(new BidderCount(bidder, c[0])));
  }
}
