package io.microbatch.benchmarks.nexmark.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CoderException;

/** Coder for {@link Event}: a tag byte (0 person, 1 auction, 2 bid), then that entity. */
public final class EventCoder extends AtomicCoder<Event> {
  private static final EventCoder INSTANCE = new EventCoder();

  public static EventCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(Event e, OutputStream out) throws IOException {
    if (e.bid() != null) {
      out.write(2);
      BidCoder.of().encode(e.bid(), out);
    } else if (e.auction() != null) {
      out.write(1);
      AuctionCoder.of().encode(e.auction(), out);
    } else {
      out.write(0);
      PersonCoder.of().encode(e.person(), out);
    }
  }

  @Override
  public Event decode(InputStream in) throws IOException {
    int tag = in.read();
    switch (tag) {
      case 0:
        return Event.of(PersonCoder.of().decode(in));
      case 1:
        return Event.of(AuctionCoder.of().decode(in));
      case 2:
        return Event.of(BidCoder.of().decode(in));
      default:
        throw new CoderException("Unknown event tag " + tag);
    }
  }

  @Override
  public void verifyDeterministic() {}
}
