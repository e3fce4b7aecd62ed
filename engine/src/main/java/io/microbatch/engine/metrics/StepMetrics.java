package io.microbatch.engine.metrics;

import org.apache.beam.runners.core.metrics.MetricsContainerStepMap;
import org.apache.beam.sdk.metrics.MetricResults;

/**
 * Metrics of every step: what batches attempted, and what committed batches made final. A batch
 * collects into its own map, which is merged here when the batch ends.
 */
public final class StepMetrics {
  private final MetricsContainerStepMap attempted = new MetricsContainerStepMap();
  private final MetricsContainerStepMap committed = new MetricsContainerStepMap();

  /** A fresh map for one batch's updates. */
  public MetricsContainerStepMap newBatch() {
    return new MetricsContainerStepMap();
  }

  /** The batch committed: its updates count as attempted and committed. */
  public synchronized void commit(MetricsContainerStepMap batch) {
    attempted.updateAll(batch);
    committed.updateAll(batch);
  }

  /** The batch failed: its updates were attempted only. */
  public synchronized void abort(MetricsContainerStepMap batch) {
    attempted.updateAll(batch);
  }

  /** A copy of what committed batches made final so far. */
  public synchronized MetricsContainerStepMap committedCopy() {
    MetricsContainerStepMap copy = new MetricsContainerStepMap();
    copy.updateAll(committed);
    return copy;
  }

  /** A copy of what every batch attempted so far. */
  public synchronized MetricsContainerStepMap attemptedCopy() {
    MetricsContainerStepMap copy = new MetricsContainerStepMap();
    copy.updateAll(attempted);
    return copy;
  }

  /**
   * Starts from what an earlier attempt of the same run left: everything it attempted, and what
   * it had committed up to the checkpoint this attempt resumes from (later batches are replayed
   * here and commit again).
   */
  public synchronized void carry(
      MetricsContainerStepMap earlierAttempted, MetricsContainerStepMap committedAtCheckpoint) {
    attempted.updateAll(earlierAttempted);
    committed.updateAll(committedAtCheckpoint);
  }

  /** A snapshot of the results so far. */
  public synchronized MetricResults results() {
    MetricsContainerStepMap attemptedCopy = new MetricsContainerStepMap();
    attemptedCopy.updateAll(attempted);
    MetricsContainerStepMap committedCopy = new MetricsContainerStepMap();
    committedCopy.updateAll(committed);
    return MetricsContainerStepMap.asMetricResults(attemptedCopy, committedCopy);
  }
}
