package io.microbatch.checkpoint;

/**
 * A checkpoint exists but nothing in it can be used safely (for example every state snapshot is
 * torn or fails its checksums, or the log lost entries a recovery needs). Thrown instead of
 * silently starting from empty state, which would lose or double-count data.
 */
public final class CorruptCheckpointException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CorruptCheckpointException(String message) {
    super(message);
  }

  public CorruptCheckpointException(String message, Throwable cause) {
    super(message, cause);
  }
}
