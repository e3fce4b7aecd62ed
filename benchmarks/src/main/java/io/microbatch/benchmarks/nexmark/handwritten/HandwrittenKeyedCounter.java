package io.microbatch.benchmarks.nexmark.handwritten;

import io.microbatch.benchmarks.harness.OutputDigest;
import io.microbatch.benchmarks.nexmark.generator.ElementGenerator;
import io.microbatch.benchmarks.nexmark.model.AuctionWindowCount;
import io.microbatch.benchmarks.nexmark.model.Bid;
import io.microbatch.benchmarks.nexmark.model.Event;
import io.microbatch.benchmarks.nexmark.queries.KeyedCounter;
import java.util.HashMap;
import java.util.Map;

/** The keyed counter by hand: counts per (auction, window) in a hash map. */
public final class HandwrittenKeyedCounter implements HandwrittenQuery<Event, AuctionWindowCount> {
  private record Cell(long auction, long windowStart) {}

  @Override
  public void run(ElementGenerator<Event> generator, int threads, OutputDigest out) {
    Map<Cell, long[]> counts = new HashMap<>();
    long count = generator.config().count();
    for (long i = 0; i < count; i++) {
      Bid bid = generator.element(i).bid();
      if (bid != null) {
        long window =
            Math.floorDiv(bid.dateTime(), KeyedCounter.WINDOW_MILLIS) * KeyedCounter.WINDOW_MILLIS;
        counts.computeIfAbsent(new Cell(bid.auction(), window), c -> new long[1])[0]++;
      }
    }
    counts.forEach((cell, n) -> out.add(new AuctionWindowCount(cell.auction(), cell.windowStart(), n[0])));
  }
}
