package io.microbatch.state.rocksdb;

import io.microbatch.state.PartitionState;
import io.microbatch.state.PartitionStateContract;
import org.junit.jupiter.api.AfterEach;

/** The partition contract on a real RocksDB database in a temporary directory. */
class RocksDbPartitionStateTest extends PartitionStateContract {
  private RocksDbStateBackend backend;

  @Override
  protected PartitionState openPartition() {
    backend = new RocksDbStateBackend();
    return backend.open("stage-1", 0);
  }

  @AfterEach
  void closeBackend() {
    backend.close();
  }
}
