package io.microbatch.examples;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.junit.jupiter.api.Test;

class KafkaWindowedCountsTest {

  @Test
  void countsSampleEventsFromTheInProcessBrokerIntoTheOutputTopic() throws Exception {
    KafkaWindowedCounts.Outcome outcome =
        KafkaWindowedCounts.run(
            new String[] {
              "--maxRunSeconds=12",
              "--eventsPerSecond=100",
              "--windowSeconds=2",
              "--maxDelaySeconds=1",
              "--batchIntervalMillis=200",
              "--parallelism=2"
            });

    assertThat(outcome.result().getState(), equalTo(PipelineResult.State.CANCELLED));
    assertThat(committedWindowCounts(outcome.result()), greaterThan(0L));
    assertThat(outcome.countRecordsWritten(), greaterThan(0L));
  }

  private static long committedWindowCounts(PipelineResult result) {
    long total = 0;
    for (MetricResult<Long> counter :
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named(KafkaWindowedCounts.class, "windowCounts"))
                    .build())
            .getCounters()) {
      total += counter.getCommitted();
    }
    return total;
  }
}
