package io.microbatch.runner;

import io.microbatch.state.StateBackend;
import io.microbatch.state.memory.MemoryStateBackend;
import io.microbatch.state.rocksdb.RocksDbStateBackend;
import java.nio.file.Path;
import java.util.List;

/** Resolves the {@code --stateBackend} option (and {@code --stateDir}) to a backend. */
final class StateBackends {
  static final List<String> NAMES = List.of(RocksDbStateBackend.NAME, MemoryStateBackend.NAME);

  private StateBackends() {}

  static StateBackend forName(String name) {
    return forName(name, null);
  }

  /** The backend of the options; RocksDB keeps state under {@code --stateDir} if given. */
  static StateBackend forOptions(MicroBatchPipelineOptions options) {
    return forName(options.getStateBackend(), options.getStateDir());
  }

  static StateBackend forName(String name, String stateDir) {
    if (RocksDbStateBackend.NAME.equals(name)) {
      return new RocksDbStateBackend(stateDir == null ? null : Path.of(stateDir));
    }
    if (MemoryStateBackend.NAME.equals(name)) {
      return new MemoryStateBackend();
    }
    throw new IllegalArgumentException(
        "Unknown --stateBackend '" + name + "'; choose one of " + NAMES);
  }
}
