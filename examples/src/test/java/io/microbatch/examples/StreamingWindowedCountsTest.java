package io.microbatch.examples;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.junit.jupiter.api.Test;

class StreamingWindowedCountsTest {

  @Test
  void producesEarlyOnTimeAndLatePanesUntilStopped() throws Exception {
    PipelineResult result =
        StreamingWindowedCounts.run(
            new String[] {
              "--maxRunSeconds=10",
              "--eventsPerSecond=100",
              "--windowSeconds=1",
              "--earlyFiringDelayMillis=200",
              "--batchIntervalMillis=100"
            });

    assertThat(result.getState(), equalTo(PipelineResult.State.CANCELLED));
    for (String timing : new String[] {"EARLY", "ON_TIME", "LATE"}) {
      assertThat(timing + " panes", committedPanes(result, timing), greaterThan(0L));
    }
  }

  private static long committedPanes(PipelineResult result, String timing) {
    long total = 0;
    for (MetricResult<Long> counter :
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(
                        MetricNameFilter.named(StreamingWindowedCounts.class, "panes" + timing))
                    .build())
            .getCounters()) {
      total += counter.getCommitted();
    }
    return total;
  }
}
