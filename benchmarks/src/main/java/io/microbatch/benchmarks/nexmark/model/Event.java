package io.microbatch.benchmarks.nexmark.model;

import org.apache.beam.sdk.coders.DefaultCoder;
import org.checkerframework.checker.nullness.qual.Nullable;

/** One Nexmark event: exactly one of {@code person}, {@code auction} and {@code bid} is set. */
@DefaultCoder(EventCoder.class)
public record Event(@Nullable Person person, @Nullable Auction auction, @Nullable Bid bid) {

  public static Event of(Person person) {
    return new Event(person, null, null);
  }

  public static Event of(Auction auction) {
    return new Event(null, auction, null);
  }

  public static Event of(Bid bid) {
    return new Event(null, null, bid);
  }

  /** The event time of whichever entity this event carries, in epoch milliseconds. */
  public long dateTime() {
    if (bid != null) {
      return bid.dateTime();
    }
    return person != null ? person.dateTime() : auction.dateTime();
  }
}
