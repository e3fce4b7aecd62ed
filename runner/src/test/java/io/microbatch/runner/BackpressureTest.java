package io.microbatch.runner;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThan;

import io.microbatch.engine.stats.BatchStatistics;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.GenerateSequence;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A source producing 5,000 records/s into a DoFn that manages a few thousand per second at most:
 * with backpressure the intake falls to what fits the 100 ms interval and the delay stays bounded;
 * without it each batch reads the backlog the previous one left and the delay grows.
 */
class BackpressureTest {
  private static final Logger LOG = LoggerFactory.getLogger(BackpressureTest.class);

  /** About 0.25 ms of work per element. */
  static final class Slow extends DoFn<Long, Long> {
    @ProcessElement
    public void process(@Element Long value, OutputReceiver<Long> out) {
      LockSupport.parkNanos(200_000);
      out.output(value);
    }
  }

  private static List<BatchStatistics> run(boolean backpressure) {
    MicroBatchPipelineOptions options =
        PipelineOptionsFactory.fromArgs(
                "--runner=MicroBatchRunner",
                "--streaming=true",
                "--parallelism=1",
                "--batchIntervalMillis=100",
                "--backpressure=" + backpressure)
            .as(MicroBatchPipelineOptions.class);
    Pipeline p = Pipeline.create(options);
    // The shuffle keeps the slow work out of the read's task, whose read-time budget would
    // otherwise throttle the intake by itself.
    p.apply(GenerateSequence.from(0).withRate(5_000, Duration.standardSeconds(1)))
        .apply(Reshuffle.viaRandomKey())
        .apply(ParDo.of(new Slow()));
    MicroBatchPipelineResult result = (MicroBatchPipelineResult) p.run();
    result.waitUntilFinish(Duration.standardSeconds(4));
    result.cancel();
    List<BatchStatistics> batches = result.batchStatistics();
    for (BatchStatistics batch : batches) {
      LOG.info("backpressure={} {}", backpressure, batch.summary());
    }
    return batches;
  }

  /** The worst scheduling delay plus processing time among the batches from {@code from} on. */
  private static long maxDelayMillis(List<BatchStatistics> batches, int from) {
    return batches.subList(from, batches.size()).stream()
        .mapToLong(b -> b.totalDelay().toMillis())
        .max()
        .orElse(0);
  }

  @Test
  void backpressureLowersTheIntakeAndKeepsTheSchedulingDelayBounded() {
    List<BatchStatistics> throttled = run(true);
    List<BatchStatistics> unthrottled = run(false);

    // Intake settles below the 500 records that arrive per 100 ms interval.
    BatchStatistics last = throttled.get(throttled.size() - 1);
    long lastLimit = last.intakeLimitPerSource().values().iterator().next();
    assertThat(lastLimit, lessThan(500L));
    long throttledDelay = maxDelayMillis(throttled, throttled.size() / 2);
    long unthrottledDelay = maxDelayMillis(unthrottled, 0);
    LOG.info(
        "max total delay: {} ms with backpressure (second half of {} batches), {} ms without"
            + " ({} batches); last intake limit {}",
        throttledDelay, throttled.size(), unthrottledDelay, unthrottled.size(), lastLimit);
    assertThat(throttledDelay, lessThan(500L));
    assertThat(unthrottledDelay, greaterThan(1_000L));
  }
}
