package io.microbatch.benchmarks.nexmark.model;

import org.apache.beam.sdk.coders.DefaultCoder;

/** A new person registering to buy or sell (Nexmark's {@code Person}). */
@DefaultCoder(PersonCoder.class)
public record Person(long id, String name, String email, String city, String state, long dateTime) {}
