package io.microbatch.checkpoint;

/**
 * One valid entry of the {@link CheckpointLog}.
 *
 * @param batchId the batch it belongs to
 * @param payload the bytes the engine logged (opaque to this module)
 */
public record LogEntry(long batchId, byte[] payload) {}
