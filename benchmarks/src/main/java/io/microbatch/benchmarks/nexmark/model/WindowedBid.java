package io.microbatch.benchmarks.nexmark.model;

import java.io.Serializable;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.SerializableCoder;

/** Query 7's output: the highest bid in a fixed window. */
@DefaultCoder(SerializableCoder.class)
public record WindowedBid(long windowStart, Bid bid) implements Serializable {}
