package io.microbatch.benchmarks.nexmark.model;

import java.io.Serializable;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.SerializableCoder;

/** Query 5's output: an auction with the most bids in a sliding window (all of them on a tie). */
@DefaultCoder(SerializableCoder.class)
public record HotItem(long windowStart, long auction, long bids) implements Serializable {}
