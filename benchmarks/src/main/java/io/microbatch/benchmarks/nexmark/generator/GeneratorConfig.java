package io.microbatch.benchmarks.nexmark.generator;

import java.io.Serializable;

/**
 * What the generators produce: {@code count} events (or text lines) from {@code seed}, spaced
 * {@code 1000 / eventsPerSecond} ms apart in event time from a fixed base time. Two configs that are
 * equal produce exactly the same elements with the same timestamps, on any runner and any split.
 */
public record GeneratorConfig(long seed, long count, long eventsPerSecond) implements Serializable {
  /** Event time of element 0: 2023-11-14T22:13:20Z, fixed so results never depend on the clock. */
  public static final long BASE_TIME_MILLIS = 1_700_000_000_000L;

  public GeneratorConfig {
    if (count < 0 || eventsPerSecond <= 0) {
      throw new IllegalArgumentException("count must be >= 0 and eventsPerSecond > 0");
    }
  }

  /** The event time of element {@code index}. */
  public long timestamp(long index) {
    return BASE_TIME_MILLIS + index * 1000 / eventsPerSecond;
  }
}
