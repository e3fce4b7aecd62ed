package io.microbatch.state.memory;

import io.microbatch.state.PartitionState;
import io.microbatch.state.StateBackend;

/**
 * Keeps all state on the heap. For tests and small jobs; nothing survives the process. Atomic per
 * batch like every backend: a batch works on copies of the keys it touches. Not checkpointable:
 * {@link #supportsCheckpoints()} is false and snapshot/restore fail naming the option.
 */
public final class MemoryStateBackend implements StateBackend {
  public static final String NAME = "memory";

  @Override
  public String name() {
    return NAME;
  }

  /**
   * Always fails: memory state is not checkpointed.
   *
   * @throws UnsupportedOperationException naming {@code --stateBackend=memory}
   */
  @Override
  public void restoreFrom(java.nio.file.Path snapshotRoot) {
    throw MemoryPartitionState.notCheckpointable();
  }

  @Override
  public PartitionState open(String stageId, int partition) {
    return new MemoryPartitionState();
  }
}
