package io.microbatch.benchmarks.nexmark.handwritten;

import io.microbatch.benchmarks.harness.OutputDigest;
import io.microbatch.benchmarks.nexmark.generator.ElementGenerator;
import io.microbatch.benchmarks.nexmark.model.Auction;
import io.microbatch.benchmarks.nexmark.model.Event;
import io.microbatch.benchmarks.nexmark.model.NewSeller;
import io.microbatch.benchmarks.nexmark.model.Person;
import io.microbatch.benchmarks.nexmark.queries.NewSellers;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Query 8 by hand: people and auctions per (window, person id), joined at the end. */
public final class HandwrittenNewSellers implements HandwrittenQuery<Event, NewSeller> {
  private record Cell(long windowStart, long personId) {}

  @Override
  public void run(ElementGenerator<Event> generator, int threads, OutputDigest out) {
    Map<Cell, List<Person>> persons = new HashMap<>();
    Map<Cell, List<Auction>> auctions = new HashMap<>();
    long count = generator.config().count();
    for (long i = 0; i < count; i++) {
      Event e = generator.element(i);
      long window = Math.floorDiv(e.dateTime(), NewSellers.WINDOW_MILLIS) * NewSellers.WINDOW_MILLIS;
      if (e.person() != null) {
        persons.computeIfAbsent(new Cell(window, e.person().id()), c -> new ArrayList<>()).add(e.person());
      } else if (e.auction() != null) {
        auctions.computeIfAbsent(new Cell(window, e.auction().seller()), c -> new ArrayList<>()).add(e.auction());
      }
    }
    persons.forEach((cell, people) -> {
      List<Auction> sold = auctions.get(cell);
      if (sold != null) {
        for (Person p : people) {
          for (Auction a : sold) {
            out.add(new NewSeller(cell.windowStart(), p.id(), p.name(), a.id()));
          }
        }
      }
    });
  }
}
