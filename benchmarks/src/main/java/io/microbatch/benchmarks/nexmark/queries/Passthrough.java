package io.microbatch.benchmarks.nexmark.queries;

import io.microbatch.benchmarks.nexmark.model.Event;
import io.microbatch.benchmarks.nexmark.model.EventCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/** Query 0: every event unchanged, through one ParDo (the runner's per-element cost). */
public final class Passthrough extends PTransform<PCollection<Event>, PCollection<Event>> {
  @Override
  public PCollection<Event> expand(PCollection<Event> events) {
    return events.apply("Passthrough", ParDo.of(new DoFn<Event, Event>() {
      @ProcessElement
      public void process(@Element Event event, OutputReceiver<Event> out) {
        out.output(event);
      }
    })).setCoder(EventCoder.of());
  }
}
