package io.microbatch.engine.stats;

import java.util.Map;
import java.util.function.Function;
import org.apache.beam.sdk.metrics.MetricName;
import org.apache.beam.sdk.metrics.MetricsContainer;

/**
 * Publishes each batch's statistics as Beam metrics in namespace {@value #NAMESPACE}: engine-wide
 * ones under the pseudo step {@value #ENGINE_STEP}, per-source ones under the source's step. They
 * are committed with the batch, so {@code PipelineResult.metrics()} answers them.
 */
public final class BatchMetricsReporter {
  public static final String NAMESPACE = "microbatch.batch";
  public static final String ENGINE_STEP = "MicroBatchEngine";

  private static final MetricName BATCHES = MetricName.named(NAMESPACE, "batches");
  private static final MetricName RECORDS_READ = MetricName.named(NAMESPACE, "recordsRead");
  private static final MetricName PROCESSING_MILLIS =
      MetricName.named(NAMESPACE, "processingTimeMillis");
  private static final MetricName SCHEDULING_DELAY_MILLIS =
      MetricName.named(NAMESPACE, "schedulingDelayMillis");
  private static final MetricName TOTAL_DELAY_MILLIS =
      MetricName.named(NAMESPACE, "totalDelayMillis");
  private static final MetricName ROUNDS = MetricName.named(NAMESPACE, "rounds");
  private static final MetricName INTAKE_LIMIT = MetricName.named(NAMESPACE, "intakeLimit");
  private static final MetricName CHECKPOINT_MILLIS =
      MetricName.named(NAMESPACE, "checkpointTimeMillis");
  private static final MetricName STATE_BYTES = MetricName.named(NAMESPACE, "stateBytes");

  private BatchMetricsReporter() {}

  /** Reports into the containers of the running batch, by step name. */
  public static void report(BatchStatistics batch, Function<String, MetricsContainer> containers) {
    MetricsContainer engine = containers.apply(ENGINE_STEP);
    engine.getCounter(BATCHES).inc();
    engine.getCounter(RECORDS_READ).inc(batch.recordsRead());
    engine.getDistribution(PROCESSING_MILLIS).update(batch.processingTime().toMillis());
    engine.getDistribution(SCHEDULING_DELAY_MILLIS).update(batch.schedulingDelay().toMillis());
    engine.getDistribution(TOTAL_DELAY_MILLIS).update(batch.totalDelay().toMillis());
    engine.getDistribution(ROUNDS).update(batch.rounds());
    engine.getDistribution(CHECKPOINT_MILLIS).update(batch.checkpointTime().toMillis());
    engine.getGauge(STATE_BYTES).set(batch.stateBytes());
    for (Map.Entry<String, Long> stage : batch.stateBytesPerStage().entrySet()) {
      if (stage.getValue() >= 0) {
        containers.apply(stage.getKey()).getGauge(STATE_BYTES).set(stage.getValue());
      }
    }
    for (Map.Entry<String, Long> source : batch.recordsReadPerSource().entrySet()) {
      containers.apply(source.getKey()).getCounter(RECORDS_READ).inc(source.getValue());
    }
    for (Map.Entry<String, Long> limit : batch.intakeLimitPerSource().entrySet()) {
      containers.apply(limit.getKey()).getGauge(INTAKE_LIMIT).set(limit.getValue());
    }
  }
}
