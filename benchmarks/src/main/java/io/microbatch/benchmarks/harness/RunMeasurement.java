package io.microbatch.benchmarks.harness;

/**
 * One measured run of a workload.
 *
 * @param nanos wall time from starting the pipeline (or the hand-written loop) to its end
 * @param digest what the run produced, as {@link OutputDigest#value()}
 * @param outputs how many outputs the run produced
 * @param extra runner-specific JSON members without braces (e.g. batch statistics), or empty
 */
public record RunMeasurement(long nanos, String digest, long outputs, String extra) {}
