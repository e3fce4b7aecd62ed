package io.microbatch.runner;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;

import io.microbatch.engine.stats.BatchStatistics;
import io.microbatch.engine.stats.BatchMetricsReporter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.io.GenerateSequence;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.state.BagState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Batch statistics of a streaming run: scheduling delay is recorded, not hidden. */
class BatchStatisticsTest {
  private static final AtomicBoolean SLEPT = new AtomicBoolean();

  /** Makes the first batch that sees data run for ten batch intervals. */
  static final class SlowOnce extends DoFn<Long, Long> {
    @ProcessElement
    public void process(@Element Long value, OutputReceiver<Long> out) throws InterruptedException {
      if (SLEPT.compareAndSet(false, true)) {
        Thread.sleep(500);
      }
      out.output(value);
    }
  }

  @Test
  void aBatchThatRunsLongDelaysTheNextAndTheDelayIsRecorded() {
    MicroBatchPipelineOptions options =
        PipelineOptionsFactory.fromArgs(
                "--runner=MicroBatchRunner", "--streaming=true", "--batchIntervalMillis=50")
            .as(MicroBatchPipelineOptions.class);
    Pipeline p = Pipeline.create(options);
    p.apply(GenerateSequence.from(0).withRate(100, Duration.standardSeconds(1)))
        .apply(ParDo.of(new SlowOnce()));
    MicroBatchPipelineResult result = (MicroBatchPipelineResult) p.run();
    result.waitUntilFinish(Duration.standardSeconds(3));
    result.cancel();

    List<BatchStatistics> batches = result.batchStatistics();
    assertThat(batches.size(), greaterThan(3));
    for (int i = 0; i < batches.size(); i++) {
      assertThat(batches.get(i).batchId(), equalTo((long) i));
    }
    // The batch after the 500 ms one was due 50 ms after it was: at least 450 ms late.
    long worstDelay =
        batches.stream().mapToLong(b -> b.schedulingDelay().toMillis()).max().orElse(0);
    assertThat(worstDelay, greaterThanOrEqualTo(450L));
    assertThat(batches.stream().mapToLong(BatchStatistics::recordsRead).sum(), greaterThan(0L));
  }

  @Test
  void everyBatchReachesListenersAndTheBeamMetricsOfTheEngine() {
    MicroBatchPipelineOptions options =
        PipelineOptionsFactory.fromArgs(
                "--runner=MicroBatchRunner", "--streaming=true", "--batchIntervalMillis=20")
            .as(MicroBatchPipelineOptions.class);
    Pipeline p = Pipeline.create(options);
    p.apply(GenerateSequence.from(0).withRate(2_000, Duration.standardSeconds(1)));
    MicroBatchPipelineResult result = (MicroBatchPipelineResult) p.run();
    List<BatchStatistics> heard = new CopyOnWriteArrayList<>();
    result.addBatchListener(heard::add);
    result.waitUntilFinish(Duration.standardSeconds(2));
    assertThat(result.cancel(), equalTo(PipelineResult.State.CANCELLED));

    List<BatchStatistics> batches = result.batchStatistics();
    assertThat(heard.isEmpty(), equalTo(false));
    assertThat(batches.subList(batches.size() - heard.size(), batches.size()), equalTo(heard));
    MetricQueryResults metrics =
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.inNamespace(BatchMetricsReporter.NAMESPACE))
                    .addStep(BatchMetricsReporter.ENGINE_STEP)
                    .build());
    long committedBatches = 0;
    long committedRecords = 0;
    for (MetricResult<Long> counter : metrics.getCounters()) {
      if (counter.getName().getName().equals("batches")) {
        committedBatches = counter.getCommitted();
      } else if (counter.getName().getName().equals("recordsRead")) {
        committedRecords = counter.getCommitted();
      }
    }
    assertThat(committedBatches, equalTo((long) batches.size()));
    assertThat(
        committedRecords,
        equalTo(batches.stream().mapToLong(BatchStatistics::recordsRead).sum()));
    assertThat(committedRecords, greaterThan(0L));
  }

  /** Keeps every value of its key in a bag, so that state grows batch after batch. */
  static final class KeepAll extends DoFn<KV<Long, Long>, Void> {
    @StateId("all")
    private final StateSpec<BagState<Long>> all = StateSpecs.bag();

    @ProcessElement
    public void process(@Element KV<Long, Long> element, @StateId("all") BagState<Long> all) {
      all.add(element.getValue());
    }
  }

  @Test
  void stateSizePerStageAndCheckpointTimeAreRecordedForEveryBatch(@TempDir Path dir) {
    MicroBatchPipelineOptions options =
        PipelineOptionsFactory.fromArgs(
                "--runner=MicroBatchRunner",
                "--streaming=true",
                "--batchIntervalMillis=50",
                "--checkpointDir=" + dir.toUri())
            .as(MicroBatchPipelineOptions.class);
    Pipeline p = Pipeline.create(options);
    p.apply(GenerateSequence.from(0).withRate(2_000, Duration.standardSeconds(1)))
        .apply(WithKeys.of(v -> v % 10)).setCoder(KvCoder.of(VarLongCoder.of(), VarLongCoder.of()))
        .apply("KeepAll", ParDo.of(new KeepAll()));
    MicroBatchPipelineResult result = (MicroBatchPipelineResult) p.run();
    result.waitUntilFinish(Duration.standardSeconds(3));
    result.cancel();

    List<BatchStatistics> batches = result.batchStatistics();
    BatchStatistics last = batches.get(batches.size() - 1);
    assertThat(last.stateBytesPerStage().keySet(), hasItem(containsString("KeepAll")));
    long first = batches.get(0).stateBytes();
    assertThat("state grew as values were kept", last.stateBytes(), greaterThan(first));
    // Every batch is logged and checkpointed (interval 1), which takes measurable time.
    assertThat(batches.stream().allMatch(b -> b.checkpointTime().toNanos() > 0), equalTo(true));
    assertThat(last.totalDelay(),
        equalTo(last.schedulingDelay().plus(last.processingTime()).plus(last.checkpointTime())));
  }
}
