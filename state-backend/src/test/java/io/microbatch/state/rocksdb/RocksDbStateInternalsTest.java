package io.microbatch.state.rocksdb;

import io.microbatch.state.ByteKey;
import io.microbatch.state.PartitionState;
import org.apache.beam.runners.core.StateInternals;
import org.apache.beam.runners.core.StateInternalsTest;
import org.junit.After;

/** Beam's own contract for {@link StateInternals}, run against the RocksDB backend. */
public class RocksDbStateInternalsTest extends StateInternalsTest {
  private RocksDbStateBackend backend;
  private PartitionState partition;

  @Override
  protected StateInternals createStateInternals() {
    backend = new RocksDbStateBackend();
    partition = backend.open("stage-under-test", 0);
    return partition.stateFor(ByteKey.of(new byte[] {1, 2, 3}), "key");
  }

  @After
  public void closeBackend() {
    if (partition != null) {
      partition.close();
    }
    backend.close();
  }
}
