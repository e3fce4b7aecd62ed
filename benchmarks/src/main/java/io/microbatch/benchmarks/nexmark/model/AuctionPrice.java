package io.microbatch.benchmarks.nexmark.model;

import java.io.Serializable;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.SerializableCoder;

/** Query 2's output: a bid's auction and price. */
@DefaultCoder(SerializableCoder.class)
public record AuctionPrice(long auction, long price) implements Serializable {}
