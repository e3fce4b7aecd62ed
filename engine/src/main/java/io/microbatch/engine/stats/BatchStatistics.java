package io.microbatch.engine.stats;

import java.time.Duration;
import java.time.Instant;

/**
 * What one committed batch did and when: the operator's view of a streaming job's health.
 *
 * @param batchId the batch's sequence number, from 0
 * @param scheduledStart when the batch was due (batch interval after the previous one was due)
 * @param start when it actually started; later than scheduled when earlier batches ran long
 * @param schedulingDelay {@code start - scheduledStart}, never negative
 * @param processingTime how long the batch ran until its commit
 * @param rounds rounds run until the batch became quiescent
 * @param recordsRead records the sources emitted in this batch
 */
public record BatchStatistics(
    long batchId,
    Instant scheduledStart,
    Instant start,
    Duration schedulingDelay,
    Duration processingTime,
    int rounds,
    long recordsRead) {}
