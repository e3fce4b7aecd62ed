package io.microbatch.state.memory;

import io.microbatch.state.PartitionState;
import io.microbatch.state.StateBackend;

/**
 * Keeps all state on the heap. For tests and small jobs; nothing survives the process. Atomic per
 * batch like every backend: a batch works on copies of the keys it touches.
 */
public final class MemoryStateBackend implements StateBackend {
  public static final String NAME = "memory";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public PartitionState open(String stageId, int partition) {
    return new MemoryPartitionState();
  }
}
