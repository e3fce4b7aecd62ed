package io.microbatch.spark;

import io.microbatch.state.PartitionState;

/**
 * A batch-boundary call on the executor holding a keyed partition: commit its batch or abort it.
 * Returns true if the call reached the state.
 */
final class StateCall implements RemotePartitionTask<Boolean> {
  private static final long serialVersionUID = 1L;

  /** What to do with the partition's state. */
  enum Kind { COMMIT, ABORT }

  private final Kind kind;
  private final ExecutorLocation holder;

  StateCall(Kind kind, ExecutorLocation holder) {
    this.kind = kind;
    this.holder = holder;
  }

  @Override
  public Boolean run(PartitionContext context) throws InterruptedException {
    PartitionState state =
        holder.equals(context.executor()) ? context.heldState() : null;
    if (state == null) {
      if (kind == Kind.COMMIT) {
        // Committing elsewhere would leave the batch's writes uncommitted on the holder.
        throw new IllegalStateException("Commit of partition " + context.partition() + " of "
            + context.stageId() + " ran on " + context.executor() + ", not on its holder "
            + holder);
      }
      return false;
    }
    switch (kind) {
      case COMMIT -> state.commit();
      case ABORT -> state.abort();
    }
    return true;
  }
}
