package io.microbatch.checkpoint;

import io.microbatch.state.ByteKey;
import io.microbatch.state.PartitionState;
import io.microbatch.state.StateBackend;
import io.microbatch.state.rocksdb.RocksDbStateBackend;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.runners.core.StateNamespaces;
import org.apache.beam.runners.core.StateTags;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.state.ValueState;

/**
 * A real RocksDB partition of stage {@code stage-1} for tests and the benchmark: writes keyed
 * values, commits, and takes snapshots the way the engine will.
 */
final class RocksState implements AutoCloseable {
  static final String STAGE = "stage-1";

  private final RocksDbStateBackend backend;
  private final Map<Integer, PartitionState> partitions = new LinkedHashMap<>();

  private RocksState(RocksDbStateBackend backend) {
    this.backend = backend;
  }

  /** Empty partitions in {@code workDir}. */
  static RocksState fresh(Path workDir) {
    return new RocksState(new RocksDbStateBackend(workDir));
  }

  /** Partitions that start from the snapshots restored under {@code restoredRoot}. */
  static RocksState restored(Path workDir, Path restoredRoot) {
    RocksDbStateBackend backend = new RocksDbStateBackend(workDir);
    backend.restoreFrom(restoredRoot);
    return new RocksState(backend);
  }

  PartitionState partition(int n) {
    return partitions.computeIfAbsent(n, p -> backend.open(STAGE, p));
  }

  static String partitionName(int n) {
    return StateBackend.partitionPath(STAGE, n);
  }

  /** Writes {@code value} under keys {@code from..until-1} of partition {@code n} and commits. */
  void put(int n, int from, int until, String value) {
    put(n, from, until, k -> value + "-" + k);
  }

  /** Writes {@code valueOf(k)} under keys {@code from..until-1} of partition {@code n}, commits. */
  void put(int n, int from, int until, java.util.function.IntFunction<String> valueOf) {
    PartitionState partition = partition(n);
    for (int k = from; k < until; k++) {
      cell(partition, k).write(valueOf.apply(k));
    }
    partition.commit();
  }

  String get(int n, int key) {
    return cell(partition(n), key).read();
  }

  /** Snapshots every open partition into {@code dir/<partition name>}; returns publish input. */
  Map<String, Path> snapshot(Path dir) {
    Map<String, Path> result = new LinkedHashMap<>();
    partitions.forEach((n, partition) -> {
      Path target = dir.resolve(partitionName(n));
      partition.snapshot(target);
      result.put(partitionName(n), target);
    });
    return result;
  }

  private static ValueState<String> cell(PartitionState partition, int key) {
    byte[] bytes = ("key-" + key).getBytes(StandardCharsets.UTF_8);
    return partition.stateFor(ByteKey.of(bytes), "key-" + key)
        .state(StateNamespaces.global(), StateTags.value("v", StringUtf8Coder.of()));
  }

  @Override
  public void close() {
    backend.close();
  }
}
