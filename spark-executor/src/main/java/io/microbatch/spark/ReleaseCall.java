package io.microbatch.spark;

/**
 * Closes a keyed partition on the executor that held it, after it moved to another executor
 * (which opened it from the same committed snapshot). Returns true if it ran on that executor.
 */
final class ReleaseCall implements RemotePartitionTask<Boolean> {
  private static final long serialVersionUID = 1L;

  private final ExecutorLocation holder;

  ReleaseCall(ExecutorLocation holder) {
    this.holder = holder;
  }

  @Override
  public Boolean run(PartitionContext context) throws InterruptedException {
    if (!holder.equals(context.executor())) {
      return false;
    }
    return context.releaseState();
  }
}
