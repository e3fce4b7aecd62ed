package io.microbatch.benchmarks.nexmark.model;

import java.io.Serializable;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.SerializableCoder;

/** WordCount's output: a word and how often it occurs. */
@DefaultCoder(SerializableCoder.class)
public record WordFrequency(String word, long count) implements Serializable {}
