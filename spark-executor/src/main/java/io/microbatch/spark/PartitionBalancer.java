package io.microbatch.spark;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Driver side: decides which executor holds a keyed partition. A partition with no holder yet
 * (its first run, a restore from a checkpoint) goes to the live executor holding the fewest; after
 * a checkpoint, partitions move from the executors holding the most to those holding the fewest
 * (an executor that replaced a lost one, or joined), until every live executor holds within one
 * of the others. Pure planning: moving the state is the caller's job.
 */
final class PartitionBalancer {
  private PartitionBalancer() {}

  /** One partition's move from its holder to another executor. */
  record Move<K>(K partition, ExecutorLocation from, ExecutorLocation to) {}

  /**
   * The live executor holding the fewest partitions (ties: the lowest executor id), or null if
   * none is live.
   */
  static ExecutorLocation leastLoaded(
      Map<?, ExecutorLocation> holders, List<ExecutorLocation> live) {
    Map<ExecutorLocation, Integer> load = load(holders, live);
    return load.entrySet().stream()
        .min(Comparator.<Map.Entry<ExecutorLocation, Integer>>comparingInt(Map.Entry::getValue)
            .thenComparing(e -> e.getKey().executorId()))
        .map(Map.Entry::getKey)
        .orElse(null);
  }

  /**
   * The moves that leave every live executor within one partition of the others; partitions
   * held by executors that are not live are not moved (they are lost, recovery's business).
   */
  static <K> List<Move<K>> plan(Map<K, ExecutorLocation> holders, List<ExecutorLocation> live) {
    Map<K, ExecutorLocation> placed = new LinkedHashMap<>(holders);
    List<Move<K>> moves = new ArrayList<>();
    while (true) {
      Map<ExecutorLocation, Integer> load = load(placed, live);
      if (load.size() < 2) {
        return moves;
      }
      Comparator<Map.Entry<ExecutorLocation, Integer>> byLoad =
          Comparator.<Map.Entry<ExecutorLocation, Integer>>comparingInt(Map.Entry::getValue)
              .thenComparing(e -> e.getKey().executorId());
      ExecutorLocation most = load.entrySet().stream().max(byLoad).orElseThrow().getKey();
      ExecutorLocation fewest = load.entrySet().stream().min(byLoad).orElseThrow().getKey();
      if (load.get(most) - load.get(fewest) < 2) {
        return moves;
      }
      // The last partition the busiest executor holds, so repeated plans move the same ones.
      K partition = null;
      for (Map.Entry<K, ExecutorLocation> entry : placed.entrySet()) {
        if (entry.getValue().equals(most)) {
          partition = entry.getKey();
        }
      }
      placed.put(partition, fewest);
      moves.add(new Move<>(partition, most, fewest));
    }
  }

  /** Partitions held per live executor, live executors holding none included. */
  private static Map<ExecutorLocation, Integer> load(
      Map<?, ExecutorLocation> holders, List<ExecutorLocation> live) {
    Map<ExecutorLocation, Integer> load = new LinkedHashMap<>();
    for (ExecutorLocation executor : live) {
      load.put(executor, 0);
    }
    for (ExecutorLocation holder : holders.values()) {
      load.computeIfPresent(holder, (executor, count) -> count + 1);
    }
    return load;
  }
}
