package io.microbatch.engine.exec;

/**
 * A batch failed because a process holding keyed partitions' state is gone (a remote executor
 * lost), so their state is lost with it. Unlike other failures the run can resume: from its last
 * checkpoint, with the lost partitions reopened elsewhere and the logged batches replayed.
 */
public final class PartitionsLostException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public PartitionsLostException(String message, Throwable cause) {
    super(message, cause);
  }
}
