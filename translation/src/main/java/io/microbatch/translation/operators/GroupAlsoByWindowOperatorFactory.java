package io.microbatch.translation.operators;

import io.microbatch.engine.graph.DatasetId;
import io.microbatch.engine.operator.Emitter;
import io.microbatch.engine.operator.KeyedContext;
import io.microbatch.engine.operator.KeyedOperator;
import io.microbatch.engine.operator.KeyedOperatorFactory;
import io.microbatch.state.ByteKey;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.model.pipeline.v1.RunnerApi;
import org.apache.beam.runners.core.GroupAlsoByWindowsAggregators;
import org.apache.beam.runners.core.NullSideInputReader;
import org.apache.beam.runners.core.ReduceFnRunner;
import org.apache.beam.runners.core.SystemReduceFn;
import org.apache.beam.runners.core.TimerInternals;
import org.apache.beam.runners.core.TimerInternals.TimerData;
import org.apache.beam.runners.core.triggers.ExecutableTriggerStateMachine;
import org.apache.beam.runners.core.triggers.TriggerStateMachines;
import org.apache.beam.sdk.metrics.MetricsContainer;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.MetricName;
import org.apache.beam.runners.core.construction.SerializablePipelineOptions;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.util.construction.TriggerTranslation;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.WindowedValue;
import org.apache.beam.sdk.values.WindowingStrategy;

/**
 * Groups a key's values per window with runners-core's {@link ReduceFnRunner}: triggers, merging
 * windows, allowed lateness and garbage collection, all over the partition's keyed state. With a
 * combining reduce function it merges lifted accumulators instead of buffering values.
 */
public final class GroupAlsoByWindowOperatorFactory<K, InputT, OutputT>
    implements KeyedOperatorFactory {
  private static final MetricName DROPPED =
      MetricName.named(
          GroupAlsoByWindowOperatorFactory.class,
          GroupAlsoByWindowsAggregators.DROPPED_DUE_TO_LATENESS_COUNTER);

  private final Coder<K> keyCoder;
  private final WindowingStrategy<?, BoundedWindow> windowingStrategy;
  private final SystemReduceFn<K, InputT, ?, OutputT, BoundedWindow> reduceFn;
  private final DatasetId output;
  private final SerializablePipelineOptions options;
  private final RunnerApi.Trigger trigger;

  public GroupAlsoByWindowOperatorFactory(
      Coder<K> keyCoder,
      WindowingStrategy<?, BoundedWindow> windowingStrategy,
      SystemReduceFn<K, InputT, ?, OutputT, BoundedWindow> reduceFn,
      DatasetId output,
      SerializablePipelineOptions options) {
    this.keyCoder = keyCoder;
    this.windowingStrategy = windowingStrategy;
    this.reduceFn = reduceFn;
    this.output = output;
    this.options = options;
    this.trigger = TriggerTranslation.toProto(windowingStrategy.getTrigger());
  }

  /** The usual GroupByKey: buffer every value of a key and window. */
  public static <K, V> GroupAlsoByWindowOperatorFactory<K, V, Iterable<V>> buffering(
      Coder<K> keyCoder,
      Coder<V> valueCoder,
      WindowingStrategy<?, BoundedWindow> windowingStrategy,
      DatasetId output,
      SerializablePipelineOptions options) {
    return new GroupAlsoByWindowOperatorFactory<>(
        keyCoder, windowingStrategy, SystemReduceFn.buffering(valueCoder), output, options);
  }

  /** Its timers live in the windows of its input's windowing strategy. */
  @Override
  public Coder<? extends BoundedWindow> timerWindowCoder() {
    return windowingStrategy.getWindowFn().windowCoder();
  }

  @Override
  public KeyedOperator create(KeyedContext context) {
    return new Operator(context);
  }

  private final class Operator implements KeyedOperator {
    private final KeyedContext context;
    private final Emitter emitter;

    Operator(KeyedContext context) {
      this.context = context;
      this.emitter = context.output(output);
    }

    private ReduceFnRunner<K, InputT, OutputT, BoundedWindow> runnerFor(ByteKey key, K userKey) {
      return new ReduceFnRunner<>(
          userKey,
          windowingStrategy,
          ExecutableTriggerStateMachine.create(TriggerStateMachines.stateMachineForTrigger(trigger)),
          context.state(key, userKey),
          new UnheldProcessingTimers(context.timers(key)),
          value -> Emitting.emit(emitter, value),
          NullSideInputReader.empty(),
          reduceFn,
          options.get());
    }

    @Override
    public void startBundle() {}

    @Override
    @SuppressWarnings("unchecked")
    public void processKey(ByteKey key, List<WindowedValue<?>> elements) throws Exception {
      K userKey = CoderUtils.decodeFromByteArray(keyCoder, key.bytes());
      TimerInternals timers = context.timers(key);
      Counter dropped = context.metrics().getCounter(DROPPED);
      List<WindowedValue<InputT>> values = new ArrayList<>(elements.size());
      for (WindowedValue<?> element : elements) {
        KV<K, InputT> kv = (KV<K, InputT>) element.getValue();
        for (WindowedValue<?> single : element.explodeWindows()) {
          BoundedWindow window = single.getWindows().iterator().next();
          boolean expired =
              window
                  .maxTimestamp()
                  .plus(windowingStrategy.getAllowedLateness())
                  .isBefore(timers.currentInputWatermarkTime());
          if (expired) {
            dropped.inc();
          } else {
            values.add(single.withValue(kv.getValue()));
          }
        }
      }
      MetricsContainer previousMetrics = context.enterMetrics();
      try {
        ReduceFnRunner<K, InputT, OutputT, BoundedWindow> runner = runnerFor(key, userKey);
        runner.processElements(values);
        runner.persist();
      } finally {
        context.exitMetrics(previousMetrics);
      }
    }

    @Override
    public void onTimer(ByteKey key, TimerData timer) throws Exception {
      K userKey = CoderUtils.decodeFromByteArray(keyCoder, key.bytes());
      MetricsContainer previousMetrics = context.enterMetrics();
      try {
        ReduceFnRunner<K, InputT, OutputT, BoundedWindow> runner = runnerFor(key, userKey);
        runner.onTimers(List.of(timer));
        runner.persist();
      } finally {
        context.exitMetrics(previousMetrics);
      }
    }

    @Override
    public void finishBundle() {}
  }
}
