package io.microbatch.runner;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.instanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;

class MicroBatchRunnerTest {
  private static final Map<String, Long> RESULTS = new ConcurrentHashMap<>();

  private static PipelineOptions options(String... args) {
    return PipelineOptionsFactory.fromArgs(args).create();
  }

  /** Fails on every element. */
  static final class FailingFn extends DoFn<Integer, Integer> {
    @ProcessElement
    public void process(@Element Integer x) {
      throw new IllegalStateException("boom at " + x);
    }
  }

  @Test
  void resolvesByNameFromTheRunnerOption() {
    PipelineOptions options = options("--runner=MicroBatchRunner");
    assertThat(options.getRunner(), equalTo(MicroBatchRunner.class));
  }

  @Test
  void refusesNonPositiveParallelismNamingTheOption() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> MicroBatchRunner.fromOptions(options("--runner=MicroBatchRunner", "--parallelism=0")));
    assertThat(e.getMessage(), containsString("--parallelism"));
  }

  @Test
  void refusesNonPositiveBatchIntervalNamingTheOption() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> MicroBatchRunner.fromOptions(options("--runner=MicroBatchRunner", "--batchIntervalMillis=-5")));
    assertThat(e.getMessage(), containsString("--batchIntervalMillis"));
  }

  @Test
  void refusesUnknownStateBackendNamingTheOption() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> MicroBatchRunner.fromOptions(options("--runner=MicroBatchRunner", "--stateBackend=cassandra")));
    assertThat(e.getMessage(), containsString("--stateBackend 'cassandra'"));
  }

  @Test
  void rethrowsTheUserCodeExceptionAsTheCause() {
    Pipeline p = Pipeline.create(options("--runner=MicroBatchRunner"));
    p.apply(Create.of(1, 2, 3))
        .apply(ParDo.of(new FailingFn()));
    Pipeline.PipelineExecutionException e =
        assertThrows(Pipeline.PipelineExecutionException.class, () -> p.run().waitUntilFinish());
    assertThat(e.getCause(), instanceOf(IllegalStateException.class));
    assertThat(e.getCause().getMessage(), containsString("boom at"));
  }

  @Test
  void sumsPerKeyAndCommitsMetrics() {
    RESULTS.clear();
    Pipeline p = Pipeline.create(options("--runner=MicroBatchRunner", "--parallelism=3"));
    p.apply(Create.of(List.of(KV.of("a", 1L), KV.of("b", 2L), KV.of("a", 3L), KV.of("c", 4L))))
        .apply(Sum.longsPerKey())
        .apply(
            "Record",
            MapElements.into(TypeDescriptors.voids())
                .via(
                    (KV<String, Long> kv) -> {
                      Metrics.counter("test", "records").inc();
                      RESULTS.put(kv.getKey(), kv.getValue());
                      return null;
                    }));
    PipelineResult result = p.run();
    assertThat(result.waitUntilFinish(), equalTo(PipelineResult.State.DONE));
    assertThat(new TreeMap<>(RESULTS), equalTo(Map.of("a", 4L, "b", 2L, "c", 4L)));
    MetricResult<Long> records =
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named("test", "records"))
                    .build())
            .getCounters()
            .iterator()
            .next();
    assertThat(records.getCommitted(), equalTo(3L));
    assertThat(records.getAttempted(), equalTo(3L));
  }
}
