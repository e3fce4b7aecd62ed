package io.microbatch.benchmarks.nexmark.generator;

/**
 * Counter-based pseudo-random numbers: the draws for element {@code i} depend only on the seed and
 * {@code i}, so any split of the index range generates the same elements. Not thread-safe; one
 * instance per reader, {@link #reset} per element.
 */
final class SeededRandom {
  private static final long GOLDEN = 0x9E3779B97F4A7C15L;
  private long state;

  /** Starts the draws of element {@code index}. */
  void reset(long seed, long index) {
    state = mix(seed ^ mix(index * GOLDEN + 1));
  }

  long nextLong() {
    state += GOLDEN;
    return mix(state);
  }

  /** Uniform in {@code [0, bound)}, {@code bound > 0}. */
  int nextInt(int bound) {
    return (int) Long.remainderUnsigned(nextLong(), bound);
  }

  /** Uniform in {@code [0, bound)}, {@code bound > 0}. */
  long nextLong(long bound) {
    return Long.remainderUnsigned(nextLong(), bound);
  }

  /** SplitMix64's finalizer. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
