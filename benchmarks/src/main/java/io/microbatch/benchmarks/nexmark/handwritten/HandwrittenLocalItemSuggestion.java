package io.microbatch.benchmarks.nexmark.handwritten;

import io.microbatch.benchmarks.harness.OutputDigest;
import io.microbatch.benchmarks.nexmark.generator.ElementGenerator;
import io.microbatch.benchmarks.nexmark.model.Auction;
import io.microbatch.benchmarks.nexmark.model.Event;
import io.microbatch.benchmarks.nexmark.model.NameCityStateId;
import io.microbatch.benchmarks.nexmark.model.Person;
import io.microbatch.benchmarks.nexmark.queries.LocalItemSuggestion;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Query 3 by hand: a symmetric hash join of chosen people and chosen auctions. */
public final class HandwrittenLocalItemSuggestion implements HandwrittenQuery<Event, NameCityStateId> {
  @Override
  public void run(ElementGenerator<Event> generator, int threads, OutputDigest out) {
    Map<Long, Person> persons = new HashMap<>();
    Map<Long, List<Auction>> pending = new HashMap<>();
    long count = generator.config().count();
    for (long i = 0; i < count; i++) {
      Event e = generator.element(i);
      Person p = e.person();
      if (p != null && LocalItemSuggestion.STATES.contains(p.state())) {
        persons.put(p.id(), p);
        List<Auction> waiting = pending.remove(p.id());
        if (waiting != null) {
          for (Auction a : waiting) {
            out.add(new NameCityStateId(p.name(), p.city(), p.state(), a.id()));
          }
        }
      }
      Auction a = e.auction();
      if (a != null && a.category() == LocalItemSuggestion.CATEGORY) {
        Person seller = persons.get(a.seller());
        if (seller != null) {
          out.add(new NameCityStateId(seller.name(), seller.city(), seller.state(), a.id()));
        } else {
          pending.computeIfAbsent(a.seller(), k -> new ArrayList<>()).add(a);
        }
      }
    }
  }
}
