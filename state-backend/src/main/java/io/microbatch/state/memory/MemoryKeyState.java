package io.microbatch.state.memory;

import org.apache.beam.runners.core.InMemoryStateInternals;
import org.apache.beam.runners.core.StateNamespace;
import org.apache.beam.sdk.state.State;
import org.apache.beam.sdk.state.WatermarkHoldState;
import org.joda.time.Instant;

/** Runners-core's in-memory state table for one key, with the queries a partition needs. */
final class MemoryKeyState extends InMemoryStateInternals<Object> {

  MemoryKeyState(Object key) {
    super(key);
  }

  Instant earliestHold() {
    Instant earliest = null;
    for (StateNamespace namespace : inMemoryState.getNamespacesInUse()) {
      for (State state : inMemoryState.getTagsInUse(namespace).values()) {
        if (state instanceof WatermarkHoldState hold) {
          Instant time = hold.read();
          if (time != null && (earliest == null || time.isBefore(earliest))) {
            earliest = time;
          }
        }
      }
    }
    return earliest;
  }

  boolean isEmpty() {
    for (StateNamespace namespace : inMemoryState.getNamespacesInUse()) {
      for (State state : inMemoryState.getTagsInUse(namespace).values()) {
        if (!isEmptyForTesting(state)) {
          return false;
        }
      }
    }
    return true;
  }
}
