package io.microbatch.engine.stats;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * What one committed batch did and when: the operator's view of a streaming job's health.
 *
 * @param batchId the batch's sequence number, from 0
 * @param scheduledStart when the batch was due (batch interval after the previous one was due)
 * @param start when it actually started; later than scheduled when earlier batches ran long
 * @param schedulingDelay {@code start - scheduledStart}, never negative
 * @param processingTime how long the batch ran until its commit
 * @param rounds rounds run until the batch became quiescent
 * @param recordsRead records all sources emitted in this batch
 * @param recordsReadPerSource records each source step emitted, by step name
 * @param intakeLimitPerSource the most records each throttled source may read in the next batch
 *     (backpressure), by step name; absent for sources not throttled
 * @param watermarks the watermark of every dataset after the batch, by dataset ({@code name#id}),
 *     in UTC epoch millis
 * @param stateBytesPerStage approximate bytes of committed keyed state (and timers) per keyed
 *     stage after the batch, by the stage's first step; -1 where the state backend cannot tell
 * @param checkpointTime how long writing the batch's checkpoint took after its commit (log
 *     entries and, every {@code --checkpointIntervalBatches}, the state snapshot); zero without
 *     {@code --checkpointDir}
 * @param replayed true if the batch re-ran, after a restart, exactly as logged before a crash
 */
public record BatchStatistics(
    long batchId,
    Instant scheduledStart,
    Instant start,
    Duration schedulingDelay,
    Duration processingTime,
    int rounds,
    long recordsRead,
    Map<String, Long> recordsReadPerSource,
    Map<String, Long> intakeLimitPerSource,
    Map<String, Long> watermarks,
    Map<String, Long> stateBytesPerStage,
    Duration checkpointTime,
    boolean replayed) {

  /**
   * Scheduling delay plus processing and checkpoint time: how far behind its schedule the batch
   * finished.
   */
  public Duration totalDelay() {
    return schedulingDelay.plus(processingTime).plus(checkpointTime);
  }

  /** Bytes of keyed state over all stages whose backend reports a size. */
  public long stateBytes() {
    return stateBytesPerStage.values().stream().filter(b -> b >= 0).mapToLong(Long::longValue).sum();
  }

  /** One line for the log. */
  public String summary() {
    return String.format(
        "batch %d%s: %d records, processing %d ms, scheduling delay %d ms, checkpoint %d ms,"
            + " %d rounds, state %d bytes, intake limits %s",
        batchId,
        replayed ? " (replayed)" : "",
        recordsRead,
        processingTime.toMillis(),
        schedulingDelay.toMillis(),
        checkpointTime.toMillis(),
        rounds,
        stateBytes(),
        intakeLimitPerSource);
  }
}
