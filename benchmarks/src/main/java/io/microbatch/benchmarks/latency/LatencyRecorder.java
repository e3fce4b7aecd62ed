package io.microbatch.benchmarks.latency;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where the output DoFns of the latency pipelines put their measurements: one static, preallocated
 * array of latencies in microseconds, shared by every worker thread of the runner in this JVM (the
 * DoFns are deserialized copies, so only static state reaches the benchmark's main). A latency is
 * kept only if its reference time (an event's arrival, a window's end) lies in the measured period,
 * so warm-up is excluded and outputs near the period's end are not cut off by stopping early.
 */
public final class LatencyRecorder {
  private static final int CAPACITY = 4_000_000;
  private static final long[] SAMPLES = new long[CAPACITY];
  private static final AtomicInteger SIZE = new AtomicInteger();
  private static final AtomicLong OVERFLOW = new AtomicLong();
  private static final AtomicLong OUTSIDE = new AtomicLong();
  private static volatile long fromMicros = Long.MAX_VALUE;
  private static volatile long untilMicros = Long.MAX_VALUE;

  private LatencyRecorder() {}

  /** Clears the samples and measures references in {@code [fromMicros, untilMicros)}. */
  public static synchronized void measure(long fromMicros, long untilMicros) {
    SIZE.set(0);
    OVERFLOW.set(0);
    OUTSIDE.set(0);
    LatencyRecorder.fromMicros = fromMicros;
    LatencyRecorder.untilMicros = untilMicros;
  }

  /** Records {@code outputMicros - referenceMicros} if the reference lies in the measured period. */
  public static void record(long referenceMicros, long outputMicros) {
    if (referenceMicros < fromMicros || referenceMicros >= untilMicros) {
      OUTSIDE.incrementAndGet();
      return;
    }
    int i = SIZE.getAndIncrement();
    if (i < CAPACITY) {
      SAMPLES[i] = outputMicros - referenceMicros;
    } else {
      OVERFLOW.incrementAndGet();
    }
  }

  /** The latencies recorded so far, in microseconds. */
  public static Percentiles snapshot() {
    return Percentiles.of(SAMPLES, Math.min(SIZE.get(), CAPACITY));
  }

  /** Samples lost because the array was full. */
  public static long overflow() {
    return OVERFLOW.get();
  }

  /** Outputs seen whose reference lay outside the measured period (warm-up, or after it). */
  public static long outside() {
    return OUTSIDE.get();
  }
}
