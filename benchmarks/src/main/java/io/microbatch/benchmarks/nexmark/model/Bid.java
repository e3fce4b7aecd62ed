package io.microbatch.benchmarks.nexmark.model;

import org.apache.beam.sdk.coders.DefaultCoder;

/** A bid on an auction (Nexmark's {@code Bid}); {@code price} in cents. */
@DefaultCoder(BidCoder.class)
public record Bid(long auction, long bidder, long price, long dateTime) {}
