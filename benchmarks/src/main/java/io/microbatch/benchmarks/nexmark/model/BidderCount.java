package io.microbatch.benchmarks.nexmark.model;

import java.io.Serializable;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.SerializableCoder;

/** Query 12's output: the bids of one bidder over all processing-time panes. */
@DefaultCoder(SerializableCoder.class)
public record BidderCount(long bidder, long bids) implements Serializable {}
