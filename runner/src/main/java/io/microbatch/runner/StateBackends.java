package io.microbatch.runner;

import io.microbatch.state.StateBackend;
import io.microbatch.state.memory.MemoryStateBackend;
import java.util.List;

/** Resolves the {@code --stateBackend} option to a backend. */
final class StateBackends {
  static final List<String> NAMES = List.of(MemoryStateBackend.NAME);

  private StateBackends() {}

  static StateBackend forName(String name) {
    if (MemoryStateBackend.NAME.equals(name)) {
      return new MemoryStateBackend();
    }
    throw new IllegalArgumentException(
        "Unknown --stateBackend '" + name + "'; choose one of " + NAMES);
  }
}
