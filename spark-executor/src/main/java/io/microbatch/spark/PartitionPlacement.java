package io.microbatch.spark;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The driver's record of which executor ran each partition last, which becomes the partition's
 * preferred location for its next task: that executor holds the partition's state open. Spark's
 * delay scheduling ({@code spark.locality.wait}) then waits for that executor rather than moving
 * the partition, unless it stays busy or is gone.
 *
 * <p>Not thread-safe: the driver's batch loop is its only user.
 */
public final class PartitionPlacement {
  private record Key(String stageId, int partition) {}

  private final Map<Key, ExecutorLocation> lastRun = new HashMap<>();
  private long stayed;
  private long moved;

  /** Where the partition should run: the executor that ran it last, or anywhere the first time. */
  public List<String> preferredLocations(String stageId, int partition) {
    ExecutorLocation last = lastRun.get(new Key(stageId, partition));
    return last == null ? List.of() : List.of(last.taskLocation());
  }

  /** The executor that ran the partition last, if it ran before. */
  public ExecutorLocation lastExecutor(String stageId, int partition) {
    return lastRun.get(new Key(stageId, partition));
  }

  /** Records where a partition ran, counting whether it stayed on its previous executor. */
  public void ranOn(String stageId, int partition, ExecutorLocation executor) {
    ExecutorLocation previous = lastRun.put(new Key(stageId, partition), executor);
    if (previous != null) {
      if (previous.equals(executor)) {
        stayed++;
      } else {
        moved++;
      }
    }
  }

  /** Partition runs that went to the executor of the partition's previous run. */
  public long stayed() {
    return stayed;
  }

  /** Partition runs that went to another executor than the previous run. */
  public long moved() {
    return moved;
  }
}
