package io.microbatch.benchmarks.nexmark.handwritten;

import io.microbatch.benchmarks.nexmark.model.Bid;
import io.microbatch.benchmarks.nexmark.model.Event;
import io.microbatch.benchmarks.nexmark.queries.CurrencyConversion;
import java.util.function.Consumer;

/** Query 1 by hand. */
public final class HandwrittenCurrencyConversion extends ElementwiseQuery<Event, Bid> {
  @Override
  protected void process(Event event, Consumer<Bid> out) {
    if (event.bid() != null) {
      out.accept(CurrencyConversion.toEuros(event.bid()));
    }
  }
}
