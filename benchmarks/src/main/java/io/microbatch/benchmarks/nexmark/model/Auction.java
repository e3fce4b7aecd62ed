package io.microbatch.benchmarks.nexmark.model;

import org.apache.beam.sdk.coders.DefaultCoder;

/** A new auction opened by a seller (Nexmark's {@code Auction}). */
@DefaultCoder(AuctionCoder.class)
public record Auction(
    long id,
    String itemName,
    long initialBid,
    long reserve,
    long dateTime,
    long expires,
    long seller,
    int category) {}
