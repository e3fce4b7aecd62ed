package io.microbatch.runner;

import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineRunner;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.testing.PAssert;

/**
 * The runner of Beam's test suites: runs the pipeline to completion, rethrows the pipeline's
 * original exception, and checks that every {@link PAssert} ran and succeeded.
 */
public final class TestMicroBatchRunner extends PipelineRunner<MicroBatchPipelineResult> {
  private final MicroBatchRunner delegate;

  private TestMicroBatchRunner(MicroBatchRunner delegate) {
    this.delegate = delegate;
  }

  public static TestMicroBatchRunner fromOptions(PipelineOptions options) {
    return new TestMicroBatchRunner(MicroBatchRunner.fromOptions(options));
  }

  @Override
  public MicroBatchPipelineResult run(Pipeline pipeline) {
    MicroBatchPipelineResult result = delegate.run(pipeline);
    result.waitUntilFinish();
    verifyAssertions(pipeline, result);
    return result;
  }

  private static void verifyAssertions(Pipeline pipeline, MicroBatchPipelineResult result) {
    int expected = PAssert.countAsserts(pipeline);
    MetricQueryResults successes =
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named(PAssert.class, PAssert.SUCCESS_COUNTER))
                    .build());
    long succeeded = 0;
    for (MetricResult<Long> counter : successes.getCounters()) {
      if (counter.getCommitted() > 0) {
        succeeded++;
      }
    }
    MetricQueryResults failures =
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named(PAssert.class, PAssert.FAILURE_COUNTER))
                    .build());
    for (MetricResult<Long> counter : failures.getCounters()) {
      if (counter.getCommitted() > 0) {
        throw new AssertionError("PAssert failed in step " + counter.getKey().stepName());
      }
    }
    if (succeeded != expected) {
      throw new AssertionError(
          String.format(
              "Expected %d successful PAsserts, but %d succeeded", expected, succeeded));
    }
  }

  @Override
  public String toString() {
    return "TestMicroBatchRunner";
  }
}
