package io.microbatch.translation.operators;

import io.microbatch.engine.operator.KeyedContext;
import io.microbatch.engine.operator.KeyedOperator;
import io.microbatch.engine.operator.KeyedOperatorFactory;
import io.microbatch.state.ByteKey;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.runners.core.DoFnRunner;
import org.apache.beam.runners.core.DoFnRunners;
import org.apache.beam.runners.core.PushbackSideInputDoFnRunner;
import org.apache.beam.runners.core.SimplePushbackSideInputDoFnRunner;
import org.apache.beam.runners.core.StatefulDoFnRunner;
import org.apache.beam.runners.core.TimerInternals.TimerData;
import org.apache.beam.sdk.metrics.MetricsContainer;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.WindowedValue;

/**
 * Runs a ParDo with state or timers on a keyed partition: runners-core's stateful runner adds late
 * data dropping, time-sorted input and garbage collection at window expiry.
 */
public final class StatefulDoFnOperatorFactory<K, V, OutputT> implements KeyedOperatorFactory {
  private final DoFnSpec<KV<K, V>, OutputT> spec;
  private final Coder<K> keyCoder;
  private final DoFnInstancePool<KV<K, V>, OutputT> pool;

  public StatefulDoFnOperatorFactory(DoFnSpec<KV<K, V>, OutputT> spec, Coder<K> keyCoder) {
    this.spec = spec;
    this.keyCoder = keyCoder;
    this.pool = new DoFnInstancePool<>(spec.fn(), spec.stepName(), spec.serializableOptions());
  }

  @Override
  public KeyedOperator create(KeyedContext context) {
    return new Operator(context);
  }

  /** Its timers live in the windows of its input's windowing strategy. */
  @Override
  public Coder<? extends BoundedWindow> timerWindowCoder() {
    return spec.windowingStrategy().getWindowFn().windowCoder();
  }

  @Override
  public void close() {
    pool.close();
  }

  private final class Operator implements KeyedOperator {
    private final KeyedContext context;
    private final DoFn<KV<K, V>, OutputT> fn;
    private final CurrentKeyStepContext step;
    private final DoFnRunner<KV<K, V>, OutputT> simple;
    private final PushbackSideInputDoFnRunner<KV<K, V>, OutputT> runner;
    private final StatefulDoFnRunner.CleanupTimer<KV<K, V>> cleanupTimer;

    @SuppressWarnings({"unchecked", "rawtypes"})
    Operator(KeyedContext context) {
      this.context = context;
      this.fn = pool.borrow();
      this.step = new CurrentKeyStepContext(context);
      EngineSideInputReader sideInputs = new EngineSideInputReader(spec.sideInputs(), context.views());
      this.simple =
          DoFnRunners.simpleRunner(
              spec.options(),
              fn,
              sideInputs,
              new OutputRouter(spec.outputDatasets(), context),
              spec.mainOutputTag(),
              new ArrayList<>(spec.additionalOutputTags()),
              step,
              spec.inputCoder(),
              spec.outputCoders(),
              spec.windowingStrategy(),
              spec.schemaInformation(),
              spec.sideInputMapping());
      Coder<BoundedWindow> windowCoder =
          (Coder<BoundedWindow>) spec.windowingStrategy().getWindowFn().windowCoder();
      this.cleanupTimer =
          new StatefulDoFnRunner.TimeInternalsCleanupTimer<>(
              step.timerInternals(), spec.windowingStrategy());
      DoFnRunner<KV<K, V>, OutputT> stateful =
          DoFnRunners.defaultStatefulDoFnRunner(
              fn,
              spec.inputCoder(),
              simple,
              step,
              spec.windowingStrategy(),
              cleanupTimer,
              new StatefulDoFnRunner.StateInternalsStateCleaner(
                  fn, step.stateInternals(), windowCoder),
              true);
      // Elements whose side inputs are not ready for their window wait in the engine.
      this.runner =
          SimplePushbackSideInputDoFnRunner.create(
              stateful, spec.sideInputs().keySet(), sideInputs);
    }

    @Override
    public void startBundle() throws Exception {
      MetricsContainer previousMetrics = context.enterMetrics();
      try {
        runner.startBundle();
      } finally {
        context.exitMetrics(previousMetrics);
      }
    }

    @Override
    @SuppressWarnings("unchecked")
    public void processKey(ByteKey key, List<WindowedValue<?>> elements) throws Exception {
      step.setKey(key, CoderUtils.decodeFromByteArray(keyCoder, key.bytes()));
      MetricsContainer previousMetrics = context.enterMetrics();
      try {
        for (WindowedValue<?> element : elements) {
          for (WindowedValue<KV<K, V>> waiting :
              runner.processElementInReadyWindows((WindowedValue<KV<K, V>>) element)) {
            context.pushBack(key, waiting);
          }
        }
      } finally {
        context.exitMetrics(previousMetrics);
      }
    }

    @Override
    public void onTimer(ByteKey key, TimerData timer) throws Exception {
      step.setKey(key, CoderUtils.decodeFromByteArray(keyCoder, key.bytes()));
      BoundedWindow window = WindowNamespaces.windowOf(timer);
      MetricsContainer previousMetrics = context.enterMetrics();
      try {
        runner.onTimer(
            timer.getTimerId(),
            timer.getTimerFamilyId(),
            step.userKey(),
            window,
            timer.getTimestamp(),
            timer.getOutputTimestamp(),
            timer.getDomain(),
            timer.causedByDrain());
      } finally {
        context.exitMetrics(previousMetrics);
      }
      if (cleanupTimer.isForWindow(
          timer.getTimerId(), window, timer.getTimestamp(), timer.getDomain())) {
        // Timers left in an expired window would only be ignored when they fire; drop them now so
        // their output timestamps stop holding the watermark.
        context.deleteTimers(key, timer.getNamespace());
      }
    }

    @Override
    public void finishBundle() throws Exception {
      MetricsContainer previousMetrics = context.enterMetrics();
      try {
        runner.finishBundle();
      } finally {
        context.exitMetrics(previousMetrics);
      }
      pool.release(fn);
    }

    @Override
    public void abort() {
      pool.discard(fn);
    }
  }
}
