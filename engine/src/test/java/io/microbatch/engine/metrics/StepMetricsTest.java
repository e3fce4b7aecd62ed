package io.microbatch.engine.metrics;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import org.apache.beam.runners.core.metrics.MetricsContainerStepMap;
import org.apache.beam.sdk.metrics.MetricName;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricResults;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.junit.jupiter.api.Test;

class StepMetricsTest {
  private static final MetricName ELEMENTS = MetricName.named("test", "elements");

  private static MetricsContainerStepMap batch(long elements) {
    MetricsContainerStepMap batch = new MetricsContainerStepMap();
    batch.getContainer("Step").getCounter(ELEMENTS).inc(elements);
    return batch;
  }

  private static MetricResult<Long> counter(MetricResults results) {
    return results.queryMetrics(MetricsFilter.builder().build()).getCounters().iterator().next();
  }

  @Test
  void aResumedAttemptCountsCommittedBatchesOnceAndEveryAttempt() {
    StepMetrics first = new StepMetrics();
    first.commit(batch(10)); // batch 0, then the checkpoint
    MetricsContainerStepMap atCheckpoint = first.committedCopy();
    first.commit(batch(5)); // batch 1: committed, but after the checkpoint
    first.abort(batch(3)); // batch 2 fails: the executor was lost

    StepMetrics second = new StepMetrics();
    second.carry(first.attemptedCopy(), atCheckpoint);
    second.commit(batch(5)); // batch 1 replayed
    second.commit(batch(3)); // batch 2 again

    MetricResult<Long> elements = counter(second.results());
    assertThat("committed: batches 0, 1 and 2 once each", elements.getCommitted(), equalTo(18L));
    assertThat("attempted: every attempt", elements.getAttempted(), equalTo(26L));
  }
}
