package io.microbatch.spark;

import java.io.Serializable;

/**
 * What one partition task sent back to the driver, with where it ran.
 *
 * @param partition the partition
 * @param executor the executor that ran it; the driver prefers it for the partition's next task
 * @param stateOpened true if the task opened the partition's state on that executor (first use
 *     there), false if it found the state already open from an earlier batch
 * @param runNanos time the task spent in {@link RemotePartitionTask#run}
 * @param value the task's result
 */
public record PartitionResult<R extends Serializable>(
    int partition, ExecutorLocation executor, boolean stateOpened, long runNanos, R value)
    implements Serializable {}
