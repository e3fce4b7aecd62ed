package io.microbatch.benchmarks.nexmark.handwritten;

import io.microbatch.benchmarks.nexmark.model.Event;
import java.util.function.Consumer;

/** Query 0 by hand. */
public final class HandwrittenPassthrough extends ElementwiseQuery<Event, Event> {
  @Override
  protected void process(Event event, Consumer<Event> out) {
    out.accept(event);
  }
}
