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

  /** A snapshot of the results so far. */
  public synchronized MetricResults results() {
    MetricsContainerStepMap attemptedCopy = new MetricsContainerStepMap();
    attemptedCopy.updateAll(attempted);
    MetricsContainerStepMap committedCopy = new MetricsContainerStepMap();
    committedCopy.updateAll(committed);
    return MetricsContainerStepMap.asMetricResults(attemptedCopy, committedCopy);
  }
}
