package io.microbatch.benchmarks.nexmark.queries;

import io.microbatch.benchmarks.nexmark.model.Bid;
import io.microbatch.benchmarks.nexmark.model.BidCoder;
import io.microbatch.benchmarks.nexmark.model.Event;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/** The bids among the events (keeps each event's timestamp). */
public final class Bids extends PTransform<PCollection<Event>, PCollection<Bid>> {
  @Override
  public PCollection<Bid> expand(PCollection<Event> events) {
    return events.apply("Bids", ParDo.of(new DoFn<Event, Bid>() {
      @ProcessElement
      public void process(@Element Event event, OutputReceiver<Bid> out) {
        if (event.bid() != null) {
          out.output(event.bid());
        }
      }
    })).setCoder(BidCoder.of());
  }
}
