package io.microbatch.translation.sources;

import java.util.function.LongSupplier;

/**
 * A token bucket over wall time that caps how many records a source may read: it fills at
 * {@code recordsPerSecond}, holds at most one second's worth, and starts full. Each batch asks how
 * many records it may read ({@link #available()}), then pays for what it read ({@link
 * #consume(long)}). A rate of 0 means no limit.
 */
final class ReadRateLimiter {
  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private final long recordsPerSecond;
  private final LongSupplier nanoTime;
  private double tokens;
  private long lastRefill;

  ReadRateLimiter(long recordsPerSecond, LongSupplier nanoTime) {
    if (recordsPerSecond < 0) {
      throw new IllegalArgumentException(
          "recordsPerSecond must not be negative, was " + recordsPerSecond);
    }
    this.recordsPerSecond = recordsPerSecond;
    this.nanoTime = nanoTime;
    this.tokens = recordsPerSecond;
    this.lastRefill = nanoTime.getAsLong();
  }

  /** The records that may be read now; {@code Long.MAX_VALUE} without a limit. */
  long available() {
    if (recordsPerSecond == 0) {
      return Long.MAX_VALUE;
    }
    long now = nanoTime.getAsLong();
    double refill = (now - lastRefill) * (double) recordsPerSecond / NANOS_PER_SECOND;
    tokens = Math.min(recordsPerSecond, tokens + refill);
    lastRefill = now;
    return (long) Math.floor(tokens);
  }

  /** Pays for records that were read. */
  void consume(long records) {
    if (recordsPerSecond != 0) {
      tokens -= records;
    }
  }
}
