package io.microbatch.benchmarks.nexmark.model;

import java.io.Serializable;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.SerializableCoder;

/** Query 3's output: a seller in a chosen state and one of their auctions in a chosen category. */
@DefaultCoder(SerializableCoder.class)
public record NameCityStateId(String name, String city, String state, long auctionId) implements Serializable {}
