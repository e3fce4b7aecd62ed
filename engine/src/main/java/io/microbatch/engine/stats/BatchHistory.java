package io.microbatch.engine.stats;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** The statistics of the most recent batches, bounded so a long-running job keeps a window. */
public final class BatchHistory {
  private final int capacity;
  private final Deque<BatchStatistics> batches = new ArrayDeque<>();

  public BatchHistory(int capacity) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("capacity must be positive, was " + capacity);
    }
    this.capacity = capacity;
  }

  public synchronized void add(BatchStatistics batch) {
    if (batches.size() == capacity) {
      batches.removeFirst();
    }
    batches.addLast(batch);
  }

  /** Oldest first. */
  public synchronized List<BatchStatistics> recent() {
    return new ArrayList<>(batches);
  }
}
