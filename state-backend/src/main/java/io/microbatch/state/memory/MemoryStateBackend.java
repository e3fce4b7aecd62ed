package io.microbatch.state.memory;

import io.microbatch.state.PartitionState;
import io.microbatch.state.StateBackend;

/**
 * Keeps all state on the heap. For tests and small jobs; nothing survives the process. The default
 * until the RocksDB backend lands.
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
