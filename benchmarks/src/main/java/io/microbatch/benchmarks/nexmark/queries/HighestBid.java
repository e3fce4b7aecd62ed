package io.microbatch.benchmarks.nexmark.queries;

import io.microbatch.benchmarks.nexmark.model.Bid;
import io.microbatch.benchmarks.nexmark.model.Event;
import io.microbatch.benchmarks.nexmark.model.WindowedBid;
import java.io.Serializable;
import java.util.Comparator;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Max;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;

/**
 * Query 7: the highest bid in each fixed 10 s window. Ties on price are broken by the larger
 * auction id, then bidder, then time, so the answer is unique.
 */
public final class HighestBid extends PTransform<PCollection<Event>, PCollection<WindowedBid>> {
  public static final long WINDOW_MILLIS = 10_000;

  /** The total order on bids whose maximum is the answer. */
  public static final class ByPrice implements Comparator<Bid>, Serializable {
    @Override
    public int compare(Bid a, Bid b) {
      int c = Long.compare(a.price(), b.price());
      if (c == 0) {
        c = Long.compare(a.auction(), b.auction());
      }
      if (c == 0) {
        c = Long.compare(a.bidder(), b.bidder());
      }
      return c != 0 ? c : Long.compare(a.dateTime(), b.dateTime());
    }
  }

  @Override
  public PCollection<WindowedBid> expand(PCollection<Event> events) {
    return events
        .apply(new Bids())
        .apply(Window.into(FixedWindows.of(Duration.millis(WINDOW_MILLIS))))
        .apply("MaxBid", Combine.globally(Max.of(new ByPrice())).withoutDefaults())
        .apply("WithWindow", ParDo.of(new DoFn<Bid, WindowedBid>() {
          @ProcessElement
          public void process(@Element Bid bid, IntervalWindow window, OutputReceiver<WindowedBid> out) {
            out.output(new WindowedBid(window.start().getMillis(), bid));
          }
        }));
  }
}
