package io.microbatch.benchmarks.nexmark.model;

import java.io.Serializable;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.SerializableCoder;

/** Query 8's output: a person who registered and opened an auction in the same fixed window. */
@DefaultCoder(SerializableCoder.class)
public record NewSeller(long windowStart, long personId, String name, long auctionId) implements Serializable {}
