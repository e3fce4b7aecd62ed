package io.microbatch.benchmarks.nexmark;

import io.microbatch.benchmarks.nexmark.generator.EventGenerator;
import io.microbatch.benchmarks.nexmark.generator.TextGenerator;
import io.microbatch.benchmarks.nexmark.handwritten.HandwrittenAuctionFilter;
import io.microbatch.benchmarks.nexmark.handwritten.HandwrittenBidderSessions;
import io.microbatch.benchmarks.nexmark.handwritten.HandwrittenHotItems;
import io.microbatch.benchmarks.nexmark.handwritten.HandwrittenLocalItemSuggestion;
import io.microbatch.benchmarks.nexmark.handwritten.HandwrittenNewSellers;
import io.microbatch.benchmarks.nexmark.handwritten.HandwrittenProcessingTimeCounts;
import io.microbatch.benchmarks.nexmark.handwritten.HandwrittenCurrencyConversion;
import io.microbatch.benchmarks.nexmark.handwritten.HandwrittenHighestBid;
import io.microbatch.benchmarks.nexmark.handwritten.HandwrittenKeyedCounter;
import io.microbatch.benchmarks.nexmark.handwritten.HandwrittenPassthrough;
import io.microbatch.benchmarks.nexmark.handwritten.HandwrittenWordCount;
import io.microbatch.benchmarks.nexmark.queries.AuctionFilter;
import io.microbatch.benchmarks.nexmark.queries.BidderSessions;
import io.microbatch.benchmarks.nexmark.queries.HotItems;
import io.microbatch.benchmarks.nexmark.queries.LocalItemSuggestion;
import io.microbatch.benchmarks.nexmark.queries.NewSellers;
import io.microbatch.benchmarks.nexmark.queries.ProcessingTimeCounts;
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
      new Workload<>("q3", "stateful join: sellers in OR/ID/CA with their category-10 auctions", false,
          EventGenerator::new, LocalItemSuggestion::new, HandwrittenLocalItemSuggestion::new),
      new Workload<>("q5", "hot items: auctions with the most bids per sliding window (10 s every 2 s)", false,
          EventGenerator::new, HotItems::new, HandwrittenHotItems::new),
      new Workload<>("q7", "highest bid per fixed 10 s window (combine)", false,
          EventGenerator::new, HighestBid::new, HandwrittenHighestBid::new),
      new Workload<>("q8", "windowed join: people who registered and sold in the same 10 s window", false,
          EventGenerator::new, NewSellers::new, HandwrittenNewSellers::new),
      new Workload<>("q11", "bids per bidder per session window (10 s gap)", false,
          EventGenerator::new, BidderSessions::new, HandwrittenBidderSessions::new),
      new Workload<>("q12", "bids per bidder in 1 s processing-time panes, totals re-summed", false,
          EventGenerator::new, ProcessingTimeCounts::new, HandwrittenProcessingTimeCounts::new),
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
