package io.microbatch.benchmarks.nexmark.queries;

import io.microbatch.benchmarks.nexmark.model.Auction;
import io.microbatch.benchmarks.nexmark.model.AuctionCoder;
import io.microbatch.benchmarks.nexmark.model.Event;
import io.microbatch.benchmarks.nexmark.model.NameCityStateId;
import io.microbatch.benchmarks.nexmark.model.Person;
import io.microbatch.benchmarks.nexmark.model.PersonCoder;
import java.util.Set;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.state.BagState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * Query 3 (stateful join): sellers living in OR, ID or CA joined with their auctions in category
 * 10, in the global window. Keyed by person id; a stateful DoFn keeps the person in
 * {@code ValueState} and buffers auctions that arrive before their seller in {@code BagState}.
 */
public final class LocalItemSuggestion
    extends PTransform<PCollection<Event>, PCollection<NameCityStateId>> {
  public static final Set<String> STATES = Set.of("OR", "ID", "CA");
  public static final int CATEGORY = 10;

  @Override
  public PCollection<NameCityStateId> expand(PCollection<Event> events) {
    return events
        .apply("KeyBySeller", ParDo.of(new KeyBySeller()))
        .setCoder(KvCoder.of(VarLongCoder.of(), io.microbatch.benchmarks.nexmark.model.EventCoder.of()))
        .apply("Join", ParDo.of(new JoinFn()));
  }

  /** Persons in the chosen states by id, auctions in the chosen category by seller. */
  static final class KeyBySeller extends DoFn<Event, KV<Long, Event>> {
    @ProcessElement
    public void process(@Element Event event, OutputReceiver<KV<Long, Event>> out) {
      Person p = event.person();
      if (p != null && STATES.contains(p.state())) {
        out.output(KV.of(p.id(), event));
      }
      Auction a = event.auction();
      if (a != null && a.category() == CATEGORY) {
        out.output(KV.of(a.seller(), event));
      }
    }
  }

  /** The join: each auction meets its seller once, whichever arrives first. */
  static final class JoinFn extends DoFn<KV<Long, Event>, NameCityStateId> {
    @StateId("person")
    private final StateSpec<ValueState<Person>> personSpec = StateSpecs.value(PersonCoder.of());

    @StateId("pending")
    private final StateSpec<BagState<Auction>> pendingSpec = StateSpecs.bag(AuctionCoder.of());

    @ProcessElement
    public void process(
        @Element KV<Long, Event> element,
        @StateId("person") ValueState<Person> personState,
        @StateId("pending") BagState<Auction> pending,
        OutputReceiver<NameCityStateId> out) {
      Event event = element.getValue();
      if (event.person() != null) {
        Person p = event.person();
        personState.write(p);
        for (Auction a : pending.read()) {
          out.output(new NameCityStateId(p.name(), p.city(), p.state(), a.id()));
        }
        pending.clear();
      } else {
        Person p = personState.read();
        if (p != null) {
          out.output(new NameCityStateId(p.name(), p.city(), p.state(), event.auction().id()));
        } else {
          pending.add(event.auction());
        }
      }
    }
  }
}
