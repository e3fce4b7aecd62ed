package io.microbatch.state.memory;

import io.microbatch.state.ByteKey;
import org.apache.beam.runners.core.StateInternals;
import org.apache.beam.runners.core.StateInternalsTest;

/** Beam's own contract for {@link StateInternals}, run against the in-memory backend. */
public class MemoryStateInternalsTest extends StateInternalsTest {

  @Override
  protected StateInternals createStateInternals() {
    return new MemoryStateBackend()
        .open("stage-under-test", 0)
        .stateFor(ByteKey.of(new byte[] {1, 2, 3}), "key");
  }
}
