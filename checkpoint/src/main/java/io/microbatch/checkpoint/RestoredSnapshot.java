package io.microbatch.checkpoint;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A snapshot downloaded by {@link SnapshotStore#restoreLatest}.
 *
 * @param batchId the batch after whose commit the snapshot was taken
 * @param partitions each partition name to its restored local directory
 *     ({@code localRoot/<partition>})
 * @param bytesDownloaded bytes copied from the store
 * @param elapsed wall time of the restore, fallbacks included
 */
public record RestoredSnapshot(
    long batchId, Map<String, Path> partitions, long bytesDownloaded, Duration elapsed) {}
