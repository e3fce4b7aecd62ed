package io.microbatch.translation.operators;

import io.microbatch.engine.operator.ElementOperator;
import io.microbatch.engine.operator.ElementOperatorFactory;
import io.microbatch.engine.operator.OperatorContext;
import java.util.ArrayList;
import org.apache.beam.runners.core.DoFnRunner;
import org.apache.beam.runners.core.DoFnRunners;
import org.apache.beam.runners.core.PushbackSideInputDoFnRunner;
import org.apache.beam.runners.core.SimplePushbackSideInputDoFnRunner;
import org.apache.beam.runners.core.StateInternals;
import org.apache.beam.runners.core.StepContext;
import org.apache.beam.runners.core.TimerInternals;
import org.apache.beam.sdk.metrics.MetricsContainer;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.WindowedValue;

/** Runs a stateless ParDo: one DoFn instance per partition task, fused with its neighbours. */
public final class DoFnOperatorFactory<InputT, OutputT> implements ElementOperatorFactory {
  private final DoFnSpec<InputT, OutputT> spec;
  private final DoFnInstancePool<InputT, OutputT> pool;

  public DoFnOperatorFactory(DoFnSpec<InputT, OutputT> spec) {
    this.spec = spec;
    this.pool = new DoFnInstancePool<>(spec.fn(), spec.stepName(), spec.serializableOptions());
  }

  @Override
  public ElementOperator create(OperatorContext context) {
    return new Operator(context);
  }

  @Override
  public void close() {
    pool.close();
  }

  /** A stateless DoFn's step: no state or timers, but bundle finalization after commit. */
  private static StepContext statelessStep(OperatorContext context) {
    DoFn.BundleFinalizer finalizer = new EngineBundleFinalizer(context);
    return new StepContext() {
      @Override
      public StateInternals stateInternals() {
        throw new UnsupportedOperationException("A stateless DoFn has no state");
      }

      @Override
      public TimerInternals timerInternals() {
        throw new UnsupportedOperationException("A stateless DoFn has no timers");
      }

      @Override
      public DoFn.BundleFinalizer bundleFinalizer() {
        return finalizer;
      }
    };
  }

  private final class Operator implements ElementOperator {
    private final OperatorContext context;
    private final DoFn<InputT, OutputT> fn;
    private final PushbackSideInputDoFnRunner<InputT, OutputT> runner;

    Operator(OperatorContext context) {
      this.context = context;
      this.fn = pool.borrow();
      EngineSideInputReader sideInputs = new EngineSideInputReader(spec.sideInputs(), context.views());
      DoFnRunner<InputT, OutputT> simple =
          DoFnRunners.simpleRunner(
              spec.options(),
              fn,
              sideInputs,
              new OutputRouter(spec.outputDatasets(), context),
              spec.mainOutputTag(),
              new ArrayList<>(spec.additionalOutputTags()),
              statelessStep(context),
              spec.inputCoder(),
              spec.outputCoders(),
              spec.windowingStrategy(),
              spec.schemaInformation(),
              spec.sideInputMapping());
      // Elements whose side inputs are not ready for their window go back to the engine.
      this.runner =
          SimplePushbackSideInputDoFnRunner.create(
              simple, spec.sideInputs().keySet(), sideInputs);
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
    public void process(WindowedValue<?> element) throws Exception {
      MetricsContainer previousMetrics = context.enterMetrics();
      try {
        for (WindowedValue<InputT> waiting :
            runner.processElementInReadyWindows((WindowedValue<InputT>) element)) {
          context.pushBack(waiting);
        }
      } finally {
        context.exitMetrics(previousMetrics);
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
