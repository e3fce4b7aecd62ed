package io.microbatch.checkpoint;

import java.time.Duration;

/**
 * What {@link SnapshotStore#publish} did.
 *
 * @param batchId the snapshot's batch
 * @param filesUploaded files copied to the store (not there before)
 * @param bytesUploaded their bytes
 * @param filesReused files the store already held (same name, size and CRC32), not copied
 * @param bytesReused their bytes
 * @param elapsed wall time of the publish, retention included
 * @param oldestRetainedBatchId the oldest snapshot kept after retention: log entries before it are
 *     no longer needed
 * @param snapshotsDeleted manifests removed by retention
 * @param sharedFilesDeleted shared files removed because no retained snapshot lists them
 */
public record PublishResult(
    long batchId,
    int filesUploaded,
    long bytesUploaded,
    int filesReused,
    long bytesReused,
    Duration elapsed,
    long oldestRetainedBatchId,
    int snapshotsDeleted,
    int sharedFilesDeleted) {}
