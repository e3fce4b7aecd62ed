package io.microbatch.spark;

import java.io.Serializable;

/**
 * Everything an executor needs to run one partition of one stage in one batch: which partition
 * (and so which pinned state), where state lives, and the work.
 */
record PartitionTaskDescription(
    String jobId,
    String stageId,
    int partition,
    long batchId,
    StateSettings state,
    RemotePartitionTask<?> task) implements Serializable {}
