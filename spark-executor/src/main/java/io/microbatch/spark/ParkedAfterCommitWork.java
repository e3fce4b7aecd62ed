package io.microbatch.spark;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The after-commit work (bundle finalization, publishing staged output) that tasks left in this
 * executor process, kept per job and batch until the driver says the batch committed. Work of a
 * batch that failed is never run: a later batch's call drops it, as does the end of the run.
 * If the process dies, the work dies with it; the driver then treats the executor as lost and
 * replays the batch, which registers the work again.
 */
final class ParkedAfterCommitWork {
  /** One executor per process (Spark's local mode aside, where all share this one). */
  static final ParkedAfterCommitWork IN_THIS_PROCESS = new ParkedAfterCommitWork();

  private final Map<String, TreeMap<Long, List<Runnable>>> byJob = new HashMap<>();

  /** Keeps a task's callbacks until its batch committed. */
  synchronized void park(String jobId, long batch, List<Runnable> callbacks) {
    if (callbacks.isEmpty()) {
      return;
    }
    byJob.computeIfAbsent(jobId, job -> new TreeMap<>())
        .computeIfAbsent(batch, b -> new ArrayList<>())
        .addAll(callbacks);
  }

  /**
   * Takes the callbacks of {@code batch}, dropping those of earlier batches of the job (those
   * batches failed: a committed batch's work is taken when it commits).
   */
  synchronized List<Runnable> take(String jobId, long batch) {
    TreeMap<Long, List<Runnable>> batches = byJob.get(jobId);
    if (batches == null) {
      return List.of();
    }
    List<Runnable> callbacks = batches.remove(batch);
    batches.headMap(batch).clear();
    if (batches.isEmpty()) {
      byJob.remove(jobId);
    }
    return callbacks == null ? List.of() : callbacks;
  }

  /** Drops every callback of the job; returns how many. */
  synchronized int dropJob(String jobId) {
    TreeMap<Long, List<Runnable>> batches = byJob.remove(jobId);
    return batches == null ? 0 : batches.values().stream().mapToInt(List::size).sum();
  }
}
