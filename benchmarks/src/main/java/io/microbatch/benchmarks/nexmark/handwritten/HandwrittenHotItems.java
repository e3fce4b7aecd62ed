package io.microbatch.benchmarks.nexmark.handwritten;

import io.microbatch.benchmarks.harness.OutputDigest;
import io.microbatch.benchmarks.nexmark.generator.ElementGenerator;
import io.microbatch.benchmarks.nexmark.model.Bid;
import io.microbatch.benchmarks.nexmark.model.Event;
import io.microbatch.benchmarks.nexmark.model.HotItem;
import io.microbatch.benchmarks.nexmark.queries.HotItems;
import java.util.HashMap;
import java.util.Map;

/** Query 5 by hand: bid counts per (window start, auction), then the maximum per window. */
public final class HandwrittenHotItems implements HandwrittenQuery<Event, HotItem> {
  @Override
  public void run(ElementGenerator<Event> generator, int threads, OutputDigest out) {
    Map<Long, Map<Long, long[]>> counts = new HashMap<>();
    long count = generator.config().count();
    for (long i = 0; i < count; i++) {
      Bid bid = generator.element(i).bid();
      if (bid == null) {
        continue;
      }
      long t = bid.dateTime();
      long last = Math.floorDiv(t, HotItems.PERIOD_MILLIS) * HotItems.PERIOD_MILLIS;
      for (long start = last; start > t - HotItems.SIZE_MILLIS; start -= HotItems.PERIOD_MILLIS) {
        counts.computeIfAbsent(start, s -> new HashMap<>())
            .computeIfAbsent(bid.auction(), a -> new long[1])[0]++;
      }
    }
    counts.forEach((start, perAuction) -> {
      long max = perAuction.values().stream().mapToLong(c -> c[0]).max().orElse(0);
      perAuction.forEach((auction, c) -> {
        if (c[0] == max) {
          out.add(new HotItem(start, auction, max));
        }
      });
    });
  }
}
