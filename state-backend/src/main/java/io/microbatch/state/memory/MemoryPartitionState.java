package io.microbatch.state.memory;

import io.microbatch.state.ByteKey;
import io.microbatch.state.PartitionState;
import io.microbatch.state.TimerStore;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.apache.beam.runners.core.StateInternals;
import org.joda.time.Instant;

/** A partition's state held in a hash map of per-key state tables. */
final class MemoryPartitionState implements PartitionState {
  private final Map<ByteKey, MemoryKeyState> keys = new HashMap<>();
  private final MemoryTimerStore timers = new MemoryTimerStore();

  @Override
  public StateInternals stateFor(ByteKey key, Object userKey) {
    return keys.computeIfAbsent(key, k -> new MemoryKeyState(userKey));
  }

  @Override
  public TimerStore timers() {
    return timers;
  }

  @Override
  public Instant earliestHold() {
    Instant earliest = null;
    for (MemoryKeyState state : keys.values()) {
      Instant hold = state.earliestHold();
      if (hold != null && (earliest == null || hold.isBefore(earliest))) {
        earliest = hold;
      }
    }
    return earliest;
  }

  @Override
  public boolean isEmpty() {
    return keys.values().stream().allMatch(MemoryKeyState::isEmpty) && timers.isEmpty();
  }

  @Override
  public void commit() {
    // Keys whose every state cell was cleared are dropped so that expired windows free memory.
    for (Iterator<MemoryKeyState> it = keys.values().iterator(); it.hasNext(); ) {
      if (it.next().isEmpty()) {
        it.remove();
      }
    }
  }

  @Override
  public void close() {
    keys.clear();
  }
}
