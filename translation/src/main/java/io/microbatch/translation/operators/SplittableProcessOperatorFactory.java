package io.microbatch.translation.operators;

import io.microbatch.engine.graph.DatasetId;
import io.microbatch.engine.graph.ViewId;
import io.microbatch.engine.operator.KeyedContext;
import io.microbatch.engine.operator.KeyedOperator;
import io.microbatch.engine.operator.KeyedOperatorFactory;
import io.microbatch.state.ByteKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.beam.runners.core.DoFnRunners;
import org.apache.beam.runners.core.KeyedWorkItem;
import org.apache.beam.runners.core.KeyedWorkItems;
import org.apache.beam.runners.core.OutputAndTimeBoundedSplittableProcessElementInvoker;
import org.apache.beam.runners.core.ProcessFnRunner;
import org.apache.beam.runners.core.SplittableParDoViaKeyedWorkItems.ProcessFn;
import org.apache.beam.runners.core.TimerInternals.TimerData;
import org.apache.beam.sdk.metrics.MetricsContainer;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.runners.core.construction.SerializablePipelineOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.DoFnSchemaInformation;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.util.construction.SplittableParDo.ProcessKeyedElements;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.WindowedValue;
import org.apache.beam.sdk.values.WindowedValues;
import org.joda.time.Duration;

/**
 * Runs a splittable DoFn over unbounded restrictions: each (element, restriction) has its own
 * random key; runners-core's {@link ProcessFn} processes it for a bounded number of outputs and
 * time, keeps the residual restriction in keyed state and resumes it from a processing-time timer
 * in a later round or batch. Bundle finalizers run after the batch commits.
 */
public final class SplittableProcessOperatorFactory<InputT, OutputT, RestrictionT>
    implements KeyedOperatorFactory {
  /** Outputs per call before the restriction is checkpointed (small, to resume often). */
  private static final int MAX_OUTPUTS_PER_CALL = 10_000;
  /** Time per call before the restriction is checkpointed. */
  private static final Duration MAX_TIME_PER_CALL = Duration.standardSeconds(1);

  private final String stepName;
  private final ProcessKeyedElements<InputT, OutputT, RestrictionT, ?> transform;
  private final PipelineOptions options;
  private final Map<TupleTag<?>, DatasetId> outputDatasets;
  private final Map<PCollectionView<?>, ViewId> sideInputs;
  private final DoFnInstancePool<KeyedWorkItem<byte[], KV<InputT, RestrictionT>>, OutputT> pool;
  private final ScheduledExecutorService checkpointTimer;

  @SuppressWarnings({"unchecked", "rawtypes"})
  public SplittableProcessOperatorFactory(
      String stepName,
      ProcessKeyedElements<InputT, OutputT, RestrictionT, ?> transform,
      SerializablePipelineOptions options,
      Map<TupleTag<?>, DatasetId> outputDatasets,
      Map<PCollectionView<?>, ViewId> sideInputs) {
    this.stepName = stepName;
    this.transform = transform;
    this.options = options.get();
    this.outputDatasets = outputDatasets;
    this.sideInputs = sideInputs;
    ProcessFn<InputT, OutputT, RestrictionT, ?, ?> processFn =
        new ProcessFn(
            transform.getFn(),
            transform.getElementCoder(),
            transform.getRestrictionCoder(),
            transform.getWatermarkEstimatorStateCoder(),
            transform.getInputWindowingStrategy(),
            transform.getSideInputMapping());
    this.pool = new DoFnInstancePool<>(processFn, stepName, options);
    this.checkpointTimer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "microbatch-sdf-checkpoint-" + stepName);
              t.setDaemon(true);
              return t;
            });
  }

  @Override
  public KeyedOperator create(KeyedContext context) {
    return new Operator(context);
  }

  /**
   * A residual restriction's resume timer lives in the namespace of its element's window
   * (runners-core's {@link ProcessFn}), a window of the input's windowing strategy.
   */
  @Override
  public Coder<? extends BoundedWindow> timerWindowCoder() {
    return transform.getInputWindowingStrategy().getWindowFn().windowCoder();
  }

  @Override
  public void close() {
    checkpointTimer.shutdownNow();
    pool.close();
  }

  private final class Operator implements KeyedOperator {
    private final KeyedContext context;
    private final DoFn<KeyedWorkItem<byte[], KV<InputT, RestrictionT>>, OutputT> fn;
    private final CurrentKeyStepContext step;
    private final ProcessFnRunner<InputT, OutputT, RestrictionT> runner;

    @SuppressWarnings({"unchecked", "rawtypes"})
    Operator(KeyedContext context) {
      this.context = context;
      this.fn = pool.borrow();
      this.step = new CurrentKeyStepContext(context);
      EngineSideInputReader sideInputReader = new EngineSideInputReader(sideInputs, context.views());
      OutputRouter outputs = new OutputRouter(outputDatasets, context);
      ProcessFn<InputT, OutputT, RestrictionT, ?, ?> processFn = (ProcessFn) fn;
      processFn.setStateInternalsFactory(key -> step.stateInternals());
      processFn.setTimerInternalsFactory(key -> new UnheldProcessingTimers(step.timerInternals()));
      processFn.setSideInputReader(sideInputReader);
      processFn.setProcessElementInvoker(
          new OutputAndTimeBoundedSplittableProcessElementInvoker(
              transform.getFn(),
              options,
              outputs,
              transform.getMainOutputTag(),
              sideInputReader,
              checkpointTimer,
              MAX_OUTPUTS_PER_CALL,
              MAX_TIME_PER_CALL,
              step::bundleFinalizer));
      this.runner =
          DoFnRunners.newProcessFnRunner(
              processFn,
              options,
              sideInputs.keySet(),
              sideInputReader,
              outputs,
              transform.getMainOutputTag(),
              new ArrayList<>(transform.getAdditionalOutputTags().getAll()),
              step,
              null,
              (Map) transform.getOutputTagsToCoders(),
              transform.getInputWindowingStrategy(),
              DoFnSchemaInformation.create(),
              transform.getSideInputMapping());
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
      step.setKey(key, key.bytes());
      MetricsContainer previousMetrics = context.enterMetrics();
      try {
        for (WindowedValue<?> element : elements) {
          WindowedValue<KV<byte[], KV<InputT, RestrictionT>>> keyed =
              (WindowedValue<KV<byte[], KV<InputT, RestrictionT>>>) element;
          for (WindowedValue<KV<byte[], KV<InputT, RestrictionT>>> single :
              keyed.explodeWindows()) {
            KeyedWorkItem<byte[], KV<InputT, RestrictionT>> work =
                KeyedWorkItems.elementsWorkItem(
                    key.bytes(), List.of(single.withValue(single.getValue().getValue())));
            if (!invoke(work)) {
              // Its side inputs are not ready for its window: the engine offers it again later.
              context.pushBack(key, single);
            }
          }
        }
      } finally {
        context.exitMetrics(previousMetrics);
      }
    }

    @Override
    public void onTimer(ByteKey key, TimerData timer) throws Exception {
      step.setKey(key, key.bytes());
      MetricsContainer previousMetrics = context.enterMetrics();
      try {
        if (!invoke(KeyedWorkItems.timersWorkItem(key.bytes(), List.of(timer)))) {
          // A restriction resumes only after its element ran, so its side inputs were ready.
          throw new IllegalStateException(
              "Step '" + stepName + "' resumed a restriction whose side inputs are not ready");
        }
      } finally {
        context.exitMetrics(previousMetrics);
      }
    }

    /** Runs the work item; false if its side inputs are not ready for its window. */
    private boolean invoke(KeyedWorkItem<byte[], KV<InputT, RestrictionT>> work) {
      return !runner
          .processElementInReadyWindows(WindowedValues.valueInGlobalWindow(work))
          .iterator()
          .hasNext();
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
