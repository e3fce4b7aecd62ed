package io.microbatch.benchmarks.nexmark.queries;

import io.microbatch.benchmarks.nexmark.model.Auction;
import io.microbatch.benchmarks.nexmark.model.AuctionCoder;
import io.microbatch.benchmarks.nexmark.model.Event;
import io.microbatch.benchmarks.nexmark.model.NewSeller;
import io.microbatch.benchmarks.nexmark.model.Person;
import io.microbatch.benchmarks.nexmark.model.PersonCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TupleTag;
import org.joda.time.Duration;

/**
 * Query 8 (windowed join): people who registered and opened an auction in the same fixed 10 s
 * window, by a {@code CoGroupByKey} of new people (by id) and new auctions (by seller).
 */
public final class NewSellers extends PTransform<PCollection<Event>, PCollection<NewSeller>> {
  public static final long WINDOW_MILLIS = 10_000;
  private static final TupleTag<Person> PERSONS = new TupleTag<>();
  private static final TupleTag<Auction> AUCTIONS = new TupleTag<>();

  /** New people keyed by id. */
  static final class PersonsById extends DoFn<Event, KV<Long, Person>> {
    @ProcessElement
    public void process(@Element Event e, OutputReceiver<KV<Long, Person>> out) {
      if (e.person() != null) {
        out.output(KV.of(e.person().id(), e.person()));
      }
    }
  }

  /** New auctions keyed by seller. */
  static final class AuctionsBySeller extends DoFn<Event, KV<Long, Auction>> {
    @ProcessElement
    public void process(@Element Event e, OutputReceiver<KV<Long, Auction>> out) {
      if (e.auction() != null) {
        out.output(KV.of(e.auction().seller(), e.auction()));
      }
    }
  }

  /** Every (person, auction) pair of a key and window. */
  static final class Pairs extends DoFn<KV<Long, CoGbkResult>, NewSeller> {
    @ProcessElement
    public void process(
        @Element KV<Long, CoGbkResult> joined, IntervalWindow window, OutputReceiver<NewSeller> out) {
      for (Person p : joined.getValue().getAll(PERSONS)) {
        for (Auction a : joined.getValue().getAll(AUCTIONS)) {
          out.output(new NewSeller(window.start().getMillis(), p.id(), p.name(), a.id()));
        }
      }
    }
  }

  @Override
  public PCollection<NewSeller> expand(PCollection<Event> events) {
    PCollection<Event> windowed =
        events.apply(Window.into(FixedWindows.of(Duration.millis(WINDOW_MILLIS))));
    PCollection<KV<Long, Person>> persons = windowed
        .apply("Persons", ParDo.of(new PersonsById()))
        .setCoder(KvCoder.of(VarLongCoder.of(), PersonCoder.of()));
    PCollection<KV<Long, Auction>> auctions = windowed
        .apply("Auctions", ParDo.of(new AuctionsBySeller()))
        .setCoder(KvCoder.of(VarLongCoder.of(), AuctionCoder.of()));
    return KeyedPCollectionTuple.of(PERSONS, persons)
        .and(AUCTIONS, auctions)
        .apply(CoGroupByKey.create())
        .apply("Pairs", ParDo.of(new Pairs()));
  }
}
