package io.microbatch.benchmarks.nexmark.model;

import java.io.Serializable;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.SerializableCoder;

/** The keyed counter's output: bids on one auction in one fixed window, emitted by an event-time timer. */
@DefaultCoder(SerializableCoder.class)
public record AuctionWindowCount(long auction, long windowStart, long bids) implements Serializable {}
