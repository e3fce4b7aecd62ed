package io.microbatch.benchmarks.latency;

import java.util.Arrays;

/**
 * Percentiles of a sample by the nearest-rank method: the p-th percentile of {@code n} sorted values
 * is the value at rank {@code ceil(p / 100 * n)} (1-based), so it is always one of the samples and
 * p100 is the maximum.
 */
public final class Percentiles {
  private final long[] sorted;

  private Percentiles(long[] sorted) {
    this.sorted = sorted;
  }

  /** The percentiles of the first {@code size} values (copied, the argument is not modified). */
  public static Percentiles of(long[] values, int size) {
    long[] copy = Arrays.copyOf(values, size);
    Arrays.sort(copy);
    return new Percentiles(copy);
  }

  public int count() {
    return sorted.length;
  }

  /** The p-th percentile, {@code 0 < p <= 100}; {@link Double#NaN} for an empty sample. */
  public double percentile(double p) {
    if (!(p > 0 && p <= 100)) {
      throw new IllegalArgumentException("p must be in (0, 100], got " + p);
    }
    if (sorted.length == 0) {
      return Double.NaN;
    }
    // Rounded first so that e.g. 0.99 * 100 does not become rank 100.00000000000001 -> 101.
    double exact = p / 100.0 * sorted.length;
    long rank = (long) Math.ceil(Math.round(exact * 1e9) / 1e9);
    return sorted[(int) Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  public double mean() {
    return sorted.length == 0 ? Double.NaN : Arrays.stream(sorted).average().orElse(Double.NaN);
  }

  public double max() {
    return sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1];
  }
}
