package io.microbatch.state.memory;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.beam.runners.core.InMemoryStateInternals.InMemoryState;
import org.apache.beam.runners.core.InMemoryStateInternals.InMemoryStateBinder;
import org.apache.beam.runners.core.StateInternals;
import org.apache.beam.runners.core.StateNamespace;
import org.apache.beam.runners.core.StateTag;
import org.apache.beam.sdk.state.State;
import org.apache.beam.sdk.state.StateContext;
import org.apache.beam.sdk.state.WatermarkHoldState;
import org.joda.time.Instant;

/**
 * One key's state cells (runners-core's in-memory cells), either committed or a batch's working
 * copy of them. A working copy copies a committed cell the first time the batch touches it, so a
 * batch changes only its copies: committing promotes them, aborting drops them.
 */
final class MemoryKeyState implements StateInternals {
  private final Object userKey;
  /** Cells by namespace and state id (tags are equal when their ids are, as in runners-core). */
  private final Map<StateNamespace, Map<String, State>> cells = new HashMap<>();
  private MemoryKeyState committed;

  MemoryKeyState(Object userKey) {
    this.userKey = userKey;
  }

  /** A working copy for one batch over this committed state. */
  MemoryKeyState workingCopy() {
    MemoryKeyState copy = new MemoryKeyState(userKey);
    copy.committed = this;
    return copy;
  }

  @Override
  public Object getKey() {
    return userKey;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T extends State> T state(
      StateNamespace namespace, StateTag<T> address, StateContext<?> context) {
    Map<String, State> byId = cells.computeIfAbsent(namespace, n -> new HashMap<>());
    State cell = byId.get(address.getId());
    if (cell == null) {
      State base = committed == null ? null : committed.peek(namespace, address.getId());
      cell = base != null
          ? (State) ((InMemoryState<?>) base).copy()
          : address.bind(new InMemoryStateBinder(context));
      byId.put(address.getId(), cell);
    }
    return (T) cell;
  }

  private State peek(StateNamespace namespace, String id) {
    Map<String, State> byId = cells.get(namespace);
    return byId == null ? null : byId.get(id);
  }

  /** Visits every cell this state sees: its own, then committed ones it has not copied. */
  private void forEachCell(Consumer<State> visitor) {
    cells.values().forEach(byId -> byId.values().forEach(visitor));
    if (committed != null) {
      committed.cells.forEach((namespace, byId) -> byId.forEach((id, cell) -> {
        if (peek(namespace, id) == null) {
          visitor.accept(cell);
        }
      }));
    }
  }

  /**
   * Makes this working copy the committed state of its key: takes over the committed cells the
   * batch did not touch and drops cleared cells. Returns this.
   */
  MemoryKeyState promote() {
    if (committed != null) {
      committed.cells.forEach((namespace, byId) -> byId.forEach((id, cell) ->
          cells.computeIfAbsent(namespace, n -> new HashMap<>()).putIfAbsent(id, cell)));
      committed = null;
    }
    cells.values().forEach(byId -> byId.values().removeIf(MemoryKeyState::isCleared));
    cells.values().removeIf(Map::isEmpty);
    return this;
  }

  private static boolean isCleared(State cell) {
    return ((InMemoryState<?>) cell).isCleared();
  }

  Instant earliestHold() {
    Instant[] earliest = {null};
    forEachCell(cell -> {
      if (cell instanceof WatermarkHoldState hold) {
        Instant time = hold.read();
        if (time != null && (earliest[0] == null || time.isBefore(earliest[0]))) {
          earliest[0] = time;
        }
      }
    });
    return earliest[0];
  }

  boolean isEmpty() {
    boolean[] empty = {true};
    forEachCell(cell -> empty[0] &= isCleared(cell));
    return empty[0];
  }
}
