package io.microbatch.benchmarks.nexmark.model;

import java.io.Serializable;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.SerializableCoder;

/** Query 11's output: the number of bids in one bidder's session window. */
@DefaultCoder(SerializableCoder.class)
public record BidderSession(long bidder, long bids, long sessionStart, long sessionEnd) implements Serializable {}
