package io.microbatch.state.memory;

import io.microbatch.state.PartitionState;
import io.microbatch.state.PartitionStateContract;

/** The partition contract on the heap. */
class MemoryPartitionStateTest extends PartitionStateContract {
  @Override
  protected PartitionState openPartition() {
    return new MemoryStateBackend().open("stage-1", 0);
  }
}
