package io.microbatch.engine.rate;

import java.time.Duration;

/**
 * Backpressure for one source: after each batch, estimates how many records per second the
 * pipeline really processes and sets the next batch's intake so that processing fits the batch
 * interval. A proportional-integral-derivative controller on the intake rate: the proportional
 * term follows the gap between the current intake rate and the measured processing rate, the
 * integral term drains the backlog that scheduling delay shows (records that would have been
 * processed in that delay), the derivative term (off by default) damps swings. Two guards keep
 * it stable at short intervals and with slow checkpoints: a batch whose processing took at most
 * half its interval never lowers the rate, and one update at most halves it.
 */
public final class IntakeController {
  /** The most one batch's update may cut the intake rate to, as a fraction of the current rate. */
  static final double MAX_DECREASE_PER_BATCH = 0.5;

  private final Duration interval;
  private final double proportional;
  private final double integral;
  private final double derivative;
  private final double minRatePerSecond;

  private double ratePerSecond = Double.NaN;
  private double lastError;
  private long lastUpdateNanos;

  /** The gains and floor Spark Streaming's experience suggests: 1.0, 0.2, 0.0, 100 records/s. */
  public static IntakeController withDefaultGains(Duration interval) {
    return new IntakeController(interval, 1.0, 0.2, 0.0, 100);
  }

  public IntakeController(
      Duration interval,
      double proportional,
      double integral,
      double derivative,
      double minRatePerSecond) {
    if (interval.isZero() || interval.isNegative()) {
      throw new IllegalArgumentException("interval must be positive, was " + interval);
    }
    if (proportional < 0 || integral < 0 || derivative < 0 || minRatePerSecond <= 0) {
      throw new IllegalArgumentException("gains must be >= 0 and the minimum rate > 0");
    }
    this.interval = interval;
    this.proportional = proportional;
    this.integral = integral;
    this.derivative = derivative;
    this.minRatePerSecond = minRatePerSecond;
  }

  /**
   * Feeds one committed batch; returns the most records the next batch should read, or {@link
   * Long#MAX_VALUE} while there is nothing to learn from (no records or no measurable time).
   */
  public long update(
      long recordsRead, Duration processingTime, Duration schedulingDelay, long nowNanos) {
    return update(recordsRead, processingTime, schedulingDelay, Duration.ZERO, nowNanos);
  }

  /**
   * As {@link #update(long, Duration, Duration, long)}, knowing the batch's checkpoint time too:
   * while one checkpoint takes at least the interval, no intake keeps the schedule, so the
   * scheduling delay is not counted as a backlog that reading less would drain.
   */
  public long update(
      long recordsRead,
      Duration processingTime,
      Duration schedulingDelay,
      Duration checkpointTime,
      long nowNanos) {
    double seconds = processingTime.toNanos() / 1e9;
    if (recordsRead <= 0 || seconds <= 0) {
      return limit();
    }
    double processingRate = recordsRead / seconds;
    if (Double.isNaN(ratePerSecond)) {
      // The first batch also warms the JVM up: never start below the floor.
      ratePerSecond = Math.max(processingRate, minRatePerSecond);
      lastError = 0;
      lastUpdateNanos = nowNanos;
      return limit();
    }
    double sinceUpdate = Math.max((nowNanos - lastUpdateNanos) / 1e9, 1e-3);
    double error = ratePerSecond - processingRate;
    // Records the scheduling delay stands for, spread over one interval.
    double backlog =
        checkpointTime.compareTo(interval) >= 0
            ? 0
            : schedulingDelay.toNanos() / 1e9 * processingRate / (interval.toNanos() / 1e9);
    double errorChange = (error - lastError) / sinceUpdate;
    double next =
        ratePerSecond - proportional * error - integral * backlog - derivative * errorChange;
    if (processingTime.multipliedBy(2).compareTo(interval) <= 0) {
      // The batch used at most half its interval: neither its measured rate (small batches are
      // mostly fixed per-batch cost) nor a scheduling delay (left by checkpoints, GC or a busy
      // machine, which reading less cannot shorten) says the intake is too high. It may rise only.
      next = Math.max(next, ratePerSecond);
    }
    // One slow batch (a GC pause, a busy machine) at most halves the intake: at short intervals
    // the backlog term alone would otherwise drop it to the floor, and climbing back takes long.
    next = Math.max(next, ratePerSecond * MAX_DECREASE_PER_BATCH);
    ratePerSecond = Math.max(next, minRatePerSecond);
    lastError = error;
    lastUpdateNanos = nowNanos;
    return limit();
  }

  /** The current intake rate in records per second, or NaN before the first measured batch. */
  public double ratePerSecond() {
    return ratePerSecond;
  }

  private long limit() {
    if (Double.isNaN(ratePerSecond)) {
      return Long.MAX_VALUE;
    }
    return Math.max(1L, (long) Math.ceil(ratePerSecond * interval.toNanos() / 1e9));
  }
}
