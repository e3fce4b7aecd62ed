package io.microbatch.benchmarks.latency;

import java.time.Instant;

/** The wall clock in microseconds since the epoch: the unit every latency here is measured in. */
public final class WallClock {
  private WallClock() {}

  /** Now, in UTC epoch microseconds (the JDK's clock has microsecond resolution on Linux). */
  public static long nowMicros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
  }
}
