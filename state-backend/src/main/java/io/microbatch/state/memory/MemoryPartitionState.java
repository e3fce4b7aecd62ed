package io.microbatch.state.memory;

import io.microbatch.state.ByteKey;
import io.microbatch.state.PartitionState;
import io.microbatch.state.TimerStore;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.beam.runners.core.StateInternals;
import org.joda.time.Instant;

/**
 * A partition's state held in hash maps of per-key state tables. A batch works on copies of the
 * keys it touches (copied cell by cell on first access); {@link #commit()} promotes the copies,
 * {@link #abort()} drops them, so committed state never sees half a batch.
 */
final class MemoryPartitionState implements PartitionState {
  private final Map<ByteKey, MemoryKeyState> committed = new HashMap<>();
  private final Map<ByteKey, MemoryKeyState> working = new LinkedHashMap<>();
  private final MemoryTimerStore timers = new MemoryTimerStore();

  @Override
  public StateInternals stateFor(ByteKey key, Object userKey) {
    return working.computeIfAbsent(key, k -> {
      MemoryKeyState base = committed.get(k);
      return base == null ? new MemoryKeyState(userKey) : base.workingCopy();
    });
  }

  @Override
  public TimerStore timers() {
    return timers;
  }

  /** Visits the current view of every key: its working copy if the batch touched it. */
  private void forEachKey(Consumer<MemoryKeyState> visitor) {
    working.values().forEach(visitor);
    committed.forEach((key, state) -> {
      if (!working.containsKey(key)) {
        visitor.accept(state);
      }
    });
  }

  @Override
  public Instant earliestHold() {
    Instant[] earliest = {null};
    forEachKey(state -> {
      Instant hold = state.earliestHold();
      if (hold != null && (earliest[0] == null || hold.isBefore(earliest[0]))) {
        earliest[0] = hold;
      }
    });
    return earliest[0];
  }

  @Override
  public boolean isEmpty() {
    boolean[] empty = {timers.isEmpty()};
    forEachKey(state -> empty[0] &= state.isEmpty());
    return empty[0];
  }

  @Override
  public void commit() {
    // Keys whose every state cell was cleared are dropped so that expired windows free memory.
    working.forEach((key, state) -> {
      MemoryKeyState promoted = state.promote();
      if (promoted.isEmpty()) {
        committed.remove(key);
      } else {
        committed.put(key, promoted);
      }
    });
    working.clear();
    timers.commit();
  }

  @Override
  public void abort() {
    working.clear();
    timers.abort();
  }

  /** Memory state is not checkpointed; fails naming {@code --stateBackend=memory}. */
  @Override
  public void snapshot(java.nio.file.Path dir) {
    throw notCheckpointable();
  }

  static UnsupportedOperationException notCheckpointable() {
    return new UnsupportedOperationException("The memory state backend (--stateBackend=memory) "
        + "keeps state on the heap only and cannot be checkpointed; use --stateBackend=rocksdb "
        + "with --checkpointDir");
  }

  @Override
  public void close() {
    working.clear();
    committed.clear();
  }
}
