package io.microbatch.benchmarks.nexmark;

import io.microbatch.benchmarks.nexmark.generator.EventGenerator;
import io.microbatch.benchmarks.nexmark.generator.TextGenerator;
import io.microbatch.benchmarks.nexmark.handwritten.HandwrittenAuctionFilter;
import io.microbatch.benchmarks.nexmark.handwritten.HandwrittenCurrencyConversion;
import io.microbatch.benchmarks.nexmark.handwritten.HandwrittenHighestBid;
import io.microbatch.benchmarks.nexmark.handwritten.HandwrittenKeyedCounter;
import io.microbatch.benchmarks.nexmark.handwritten.HandwrittenPassthrough;
import io.microbatch.benchmarks.nexmark.handwritten.HandwrittenWordCount;
import io.microbatch.benchmarks.nexmark.queries.AuctionFilter;
import io.microbatch.benchmarks.nexmark.queries.CurrencyConversion;
import io.microbatch.benchmarks.nexmark.queries.HighestBid;
import io.microbatch.benchmarks.nexmark.queries.KeyedCounter;
import io.microbatch.benchmarks.nexmark.queries.Passthrough;
import io.microbatch.benchmarks.nexmark.queries.WordCount;
import java.util.List;
import java.util.stream.Collectors;

/** Every workload the benchmark knows, by name. */
public final class Workloads {
  private static final List<Workload<?, ?>> ALL = List.of(
      new Workload<>("q0", "passthrough: every event through one ParDo", true,
          EventGenerator::new, Passthrough::new, HandwrittenPassthrough::new),
      new Workload<>("q1", "projection: bid prices converted to euros", true,
          EventGenerator::new, CurrencyConversion::new, HandwrittenCurrencyConversion::new),
      new Workload<>("q2", "filter: bids on auctions whose id is a multiple of 123", true,
          EventGenerator::new, AuctionFilter::new, HandwrittenAuctionFilter::new),
      new Workload<>("q7", "highest bid per fixed 10 s window (combine)", false,
          EventGenerator::new, HighestBid::new, HandwrittenHighestBid::new),
      new Workload<>("counter", "bids per auction and 10 s window in ValueState, emitted by an event-time timer",
          false, EventGenerator::new, KeyedCounter::new, HandwrittenKeyedCounter::new),
      new Workload<>("wordcount", "WordCount over generated lines (6-14 words each)", false,
          TextGenerator::new, WordCount::new, HandwrittenWordCount::new));

  private Workloads() {}

  public static List<Workload<?, ?>> all() {
    return ALL;
  }

  public static Workload<?, ?> named(String name) {
    return ALL.stream()
        .filter(w -> w.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("Unknown workload '" + name + "'; known: "
            + ALL.stream().map(Workload::name).collect(Collectors.joining(", "))));
  }
}
