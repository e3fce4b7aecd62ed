package io.microbatch.benchmarks.nexmark.queries;

import io.microbatch.benchmarks.nexmark.model.Bid;
import io.microbatch.benchmarks.nexmark.model.Event;
import io.microbatch.benchmarks.nexmark.model.HotItem;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.SlidingWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;

/**
 * Query 5 (hot items): in sliding windows of 10 s every 2 s, the auctions with the most bids (all
 * of them on a tie).
 */
public final class HotItems extends PTransform<PCollection<Event>, PCollection<HotItem>> {
  public static final long SIZE_MILLIS = 10_000;
  public static final long PERIOD_MILLIS = 2_000;

  /** The auctions with the highest count seen so far. */
  public static final class Leaders implements Serializable {
    long bids = -1;
    List<Long> auctions = new ArrayList<>();

    void offer(long auction, long count) {
      if (count > bids) {
        bids = count;
        auctions = new ArrayList<>();
      }
      if (count == bids) {
        auctions.add(auction);
      }
    }
  }

  /** Keeps the leaders of a window. */
  static final class LeadersFn extends Combine.CombineFn<KV<Long, Long>, Leaders, Leaders> {
    @Override
    public Leaders createAccumulator() {
      return new Leaders();
    }

    @Override
    public Leaders addInput(Leaders acc, KV<Long, Long> auctionCount) {
      acc.offer(auctionCount.getKey(), auctionCount.getValue());
      return acc;
    }

    @Override
    public Leaders mergeAccumulators(Iterable<Leaders> accs) {
      Leaders merged = new Leaders();
      for (Leaders a : accs) {
        for (long auction : a.auctions) {
          merged.offer(auction, a.bids);
        }
      }
      return merged;
    }

    @Override
    public Leaders extractOutput(Leaders acc) {
      return acc;
    }

    @Override
    public Coder<Leaders> getAccumulatorCoder(CoderRegistry registry, Coder<KV<Long, Long>> in) {
      return SerializableCoder.of(Leaders.class);
    }

    @Override
    public Coder<Leaders> getDefaultOutputCoder(CoderRegistry registry, Coder<KV<Long, Long>> in) {
      return SerializableCoder.of(Leaders.class);
    }
  }

  /** One output per leading auction, with its window's start. */
  static final class EmitLeaders extends DoFn<Leaders, HotItem> {
    @ProcessElement
    public void process(@Element Leaders leaders, IntervalWindow window, OutputReceiver<HotItem> out) {
      for (long auction : leaders.auctions) {
        out.output(new HotItem(window.start().getMillis(), auction, leaders.bids));
      }
    }
  }

  /** The auction a bid is on. */
  static final class AuctionOf extends DoFn<Bid, Long> {
    @ProcessElement
    public void process(@Element Bid bid, OutputReceiver<Long> out) {
      out.output(bid.auction());
    }
  }

  @Override
  public PCollection<HotItem> expand(PCollection<Event> events) {
    return events
        .apply(new Bids())
        .apply(Window.into(SlidingWindows.of(Duration.millis(SIZE_MILLIS)).every(Duration.millis(PERIOD_MILLIS))))
        .apply("Auction", ParDo.of(new AuctionOf()))
        .apply(Count.perElement())
        .apply("Leaders", Combine.globally(new LeadersFn()).withoutDefaults())
        .apply("Emit", ParDo.of(new EmitLeaders()));
  }
}
