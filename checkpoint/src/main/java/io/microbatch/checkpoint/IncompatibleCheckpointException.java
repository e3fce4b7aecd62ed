package io.microbatch.checkpoint;

/**
 * The checkpoint directory was written by a different pipeline (another shape, step names or
 * coders) or by an unknown checkpoint format. Its message says what differs and what the user can
 * do; the checkpoint is never read in that case.
 */
public final class IncompatibleCheckpointException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public IncompatibleCheckpointException(String message) {
    super(message);
  }
}
