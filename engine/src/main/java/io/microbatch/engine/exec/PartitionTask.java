package io.microbatch.engine.exec;

import io.microbatch.engine.graph.DatasetId;
import io.microbatch.engine.graph.Step;
import io.microbatch.engine.operator.ElementOperator;
import io.microbatch.engine.operator.Emitter;
import io.microbatch.engine.operator.KeyedContext;
import io.microbatch.engine.operator.KeyedOperator;
import io.microbatch.engine.operator.OperatorContext;
import io.microbatch.engine.plan.Consumer;
import io.microbatch.engine.plan.Stage;
import io.microbatch.engine.source.SourceSplit;
import io.microbatch.engine.view.ViewReader;
import io.microbatch.state.ByteKey;
import io.microbatch.state.KeyedTimer;
import io.microbatch.state.KeyedTimerInternals;
import io.microbatch.state.PartitionState;
import io.microbatch.state.TimeSource;
import java.io.Closeable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.beam.runners.core.StateInternals;
import org.apache.beam.runners.core.StateNamespace;
import org.apache.beam.runners.core.TimerInternals;
import org.apache.beam.runners.core.metrics.MetricsContainerStepMap;
import org.apache.beam.sdk.metrics.MetricsContainer;
import org.apache.beam.sdk.metrics.MetricsEnvironment;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.values.WindowedValue;
import org.joda.time.Instant;

/**
 * Runs one partition of one stage for one round: builds the fused operator chain, feeds it the
 * head's input (a source split, a shuffled key group, or buffered elements), fires due timers of a
 * keyed head, and collects what goes to other stages.
 */
final class PartitionTask implements Callable<TaskOutput> {
  private static final Emitter DISCARD = element -> {};

  /** Input of a keyed head: the partition's shuffled records plus its state and clock. */
  record KeyedInput(
      List<ShuffleRecord> records,
      PartitionState state,
      PartitionTime time,
      Instant newInputWatermark,
      Instant processingTime) {}

  private final Stage stage;
  private final int partition;
  private final MetricsContainerStepMap metrics;
  private final ViewReader views;
  private final Map<Stage, Integer> keyedPartitions;
  private final SourceSplit split;
  private final KeyedInput keyedInput;
  private final List<WindowedValue<?>> buffered;

  private final TaskOutput output = new TaskOutput();
  private final Map<DatasetId, FanOut> fanOuts = new HashMap<>();
  private final Map<Step.ElementStep, ElementOperator> operators = new IdentityHashMap<>();
  private KeyedOperator keyedOperator;
  // The running thread's metrics slot, looked up once: steps swap their container into it per element.
  private MetricsEnvironment.MetricsEnvironmentState threadMetrics;

  private PartitionTask(
      Stage stage,
      int partition,
      MetricsContainerStepMap metrics,
      ViewReader views,
      Map<Stage, Integer> keyedPartitions,
      SourceSplit split,
      KeyedInput keyedInput,
      List<WindowedValue<?>> buffered) {
    this.stage = stage;
    this.partition = partition;
    this.metrics = metrics;
    this.views = views;
    this.keyedPartitions = keyedPartitions;
    this.split = split;
    this.keyedInput = keyedInput;
    this.buffered = buffered;
  }

  static PartitionTask forSplit(
      Stage stage, int partition, MetricsContainerStepMap metrics, ViewReader views,
      Map<Stage, Integer> keyedPartitions, SourceSplit split) {
    return new PartitionTask(stage, partition, metrics, views, keyedPartitions, split, null, null);
  }

  static PartitionTask forKeyed(
      Stage stage, int partition, MetricsContainerStepMap metrics, ViewReader views,
      Map<Stage, Integer> keyedPartitions, KeyedInput input) {
    return new PartitionTask(stage, partition, metrics, views, keyedPartitions, null, input, null);
  }

  static PartitionTask forBuffered(
      Stage stage, int partition, MetricsContainerStepMap metrics, ViewReader views,
      Map<Stage, Integer> keyedPartitions, List<WindowedValue<?>> elements) {
    return new PartitionTask(
        stage, partition, metrics, views, keyedPartitions, null, null, elements);
  }

  Stage stage() {
    return stage;
  }

  int partition() {
    return partition;
  }

  MetricsContainerStepMap metrics() {
    return metrics;
  }

  SourceSplit split() {
    return split;
  }

  KeyedInput keyedInput() {
    return keyedInput;
  }

  List<WindowedValue<?>> buffered() {
    return buffered;
  }

  @Override
  public TaskOutput call() throws Exception {
    threadMetrics = MetricsEnvironment.getMetricsEnvironmentStateForCurrentThread();
    try {
      wire();
      if (keyedOperator != null) {
        keyedOperator.startBundle();
      }
      for (ElementOperator operator : operators.values()) {
        operator.startBundle();
      }
      feedHead();
      if (keyedOperator != null) {
        keyedOperator.finishBundle();
      }
      // Upstream first: a finishing step may still emit to the steps after it.
      for (Step.ElementStep step : stage.fused()) {
        operators.get(step).finishBundle();
      }
      return output;
    } catch (Exception | Error e) {
      if (keyedOperator != null) {
        keyedOperator.abort();
      }
      operators.values().forEach(ElementOperator::abort);
      throw e;
    }
  }

  private void wire() throws Exception {
    for (DatasetId dataset : stage.edges().keySet()) {
      fanOuts.put(dataset, new FanOut());
    }
    if (stage.head() instanceof Step.KeyedStep keyed) {
      keyedOperator = keyed.factory().create(new Keyed(keyed));
    }
    for (Step.ElementStep step : stage.fused()) {
      operators.put(step, step.factory().create(new Context(step)));
    }
    for (Map.Entry<DatasetId, List<Consumer>> edge : stage.edges().entrySet()) {
      FanOut fanOut = fanOuts.get(edge.getKey());
      for (Consumer consumer : edge.getValue()) {
        fanOut.add(emitterFor(consumer));
      }
    }
  }

  private Emitter emitterFor(Consumer consumer) {
    if (consumer instanceof Consumer.ToElement toElement) {
      return operators.get(toElement.step())::process;
    } else if (consumer instanceof Consumer.ToShuffle toShuffle) {
      Stage target = toShuffle.target();
      Step.KeyedStep keyed = (Step.KeyedStep) target.head();
      int partitions = keyedPartitions.get(target);
      return element ->
          output.shuffle(
              target, partitions, ByteKey.of(keyed.keyEncoder().encodeKey(element)), element);
    } else if (consumer instanceof Consumer.ToBuffer toBuffer) {
      List<WindowedValue<?>> buffer = output.buffer(toBuffer.target());
      return buffer::add;
    } else {
      List<WindowedValue<?>> view = output.view(((Consumer.ToView) consumer).view());
      return view::add;
    }
  }

  private void feedHead() throws Exception {
    Step head = stage.head();
    if (split != null) {
      try (Closeable scope =
          MetricsEnvironment.scopedMetricsContainer(metrics.getContainer(head.name()))) {
        Emitter out = fanOuts.getOrDefault(((Step.SourceStep) head).output(), new FanOut());
        split.read(
            element -> {
              output.recordsRead++;
              out.emit(element);
            });
      }
    } else if (buffered != null) {
      ElementOperator operator = operators.get((Step.ElementStep) head);
      for (WindowedValue<?> element : buffered) {
        operator.process(element);
      }
    } else {
      runKeyed();
    }
  }

  private void runKeyed() throws Exception {
    Map<ByteKey, List<WindowedValue<?>>> byKey = new LinkedHashMap<>();
    for (ShuffleRecord record : keyedInput.records()) {
      byKey.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(record.element());
    }
    PartitionTime time = keyedInput.time();
    time.advanceProcessingTime(keyedInput.processingTime());
    // Elements were produced before the upstream watermark moved, so they are processed first,
    // against the old input watermark; only then does the watermark advance and timers fire.
    for (Map.Entry<ByteKey, List<WindowedValue<?>>> group : byKey.entrySet()) {
      keyedOperator.processKey(group.getKey(), group.getValue());
    }
    // Processing time came due before the watermark moved: early panes fire first.
    fireDue(keyedInput.state(), TimeDomain.PROCESSING_TIME, time.processingTime());
    fireDue(keyedInput.state(), TimeDomain.SYNCHRONIZED_PROCESSING_TIME, time.processingTime());
    time.advanceInputWatermark(keyedInput.newInputWatermark());
    fireDueTimers(keyedInput.state(), time);
    Instant out = time.inputWatermark();
    Instant hold = keyedInput.state().earliestHold();
    if (hold != null && hold.isBefore(out)) {
      out = hold;
    }
    Instant timerHold = keyedInput.state().timers().earliestOutputTimestamp();
    if (timerHold != null && timerHold.isBefore(out)) {
      out = timerHold;
    }
    time.advanceOutputWatermark(out);
    output.outputWatermark = out;
  }

  private void fireDue(PartitionState state, TimeDomain domain, Instant limit) throws Exception {
    for (KeyedTimer due = state.timers().pollDue(domain, limit);
        due != null;
        due = state.timers().pollDue(domain, limit)) {
      keyedOperator.onTimer(due.key(), due.timer());
    }
  }

  private void fireDueTimers(PartitionState state, PartitionTime time) throws Exception {
    while (true) {
      KeyedTimer due = state.timers().pollDue(TimeDomain.EVENT_TIME, time.inputWatermark());
      if (due == null) {
        due = state.timers().pollDue(TimeDomain.PROCESSING_TIME, time.processingTime());
      }
      if (due == null) {
        due =
            state
                .timers()
                .pollDue(TimeDomain.SYNCHRONIZED_PROCESSING_TIME, time.processingTime());
      }
      if (due == null) {
        return;
      }
      keyedOperator.onTimer(due.key(), due.timer());
    }
  }

  /** The context of one element-wise step instance. */
  private class Context implements OperatorContext {
    private final Step step;
    private final MetricsContainer stepMetrics;

    Context(Step step) {
      this.step = step;
      this.stepMetrics = metrics.getContainer(step.name());
    }

    @Override
    public int partition() {
      return partition;
    }

    @Override
    public Emitter output(DatasetId dataset) {
      FanOut fanOut = fanOuts.get(dataset);
      return fanOut == null ? DISCARD : fanOut;
    }

    @Override
    public MetricsContainer metrics() {
      return stepMetrics;
    }

    @Override
    public MetricsContainer enterMetrics() {
      return threadMetrics.activate(stepMetrics);
    }

    @Override
    public void exitMetrics(MetricsContainer previous) {
      threadMetrics.activate(previous);
    }

    @Override
    public ViewReader views() {
      return views;
    }

    @Override
    public void afterCommit(Runnable callback) {
      output.afterCommit.add(callback);
    }

    @Override
    public void pushBack(WindowedValue<?> element) {
      if (step != stage.head()) {
        throw new IllegalStateException(
            "Step '" + step.name() + "' pushed back input but does not head its stage");
      }
      output.pushedBack.add(element);
    }
  }

  /** The context of the keyed head's instance. */
  private final class Keyed extends Context implements KeyedContext {
    Keyed(Step.KeyedStep step) {
      super(step);
    }

    @Override
    public StateInternals state(ByteKey key, Object userKey) {
      return keyedInput.state().stateFor(key, userKey);
    }

    @Override
    public TimerInternals timers(ByteKey key) {
      return new KeyedTimerInternals(keyedInput.state().timers(), key, keyedInput.time());
    }

    @Override
    public void pushBack(ByteKey key, WindowedValue<?> element) {
      output.keyedPushedBack.add(new ShuffleRecord(key, element));
    }

    @Override
    public void deleteTimers(ByteKey key, StateNamespace namespace) {
      keyedInput.state().timers().deleteNamespace(key, namespace);
    }

    @Override
    public TimeSource time() {
      return keyedInput.time();
    }
  }
}
