package io.microbatch.runner;

import io.microbatch.engine.graph.Step;
import io.microbatch.engine.graph.StepGraph;
import io.microbatch.translation.sources.BoundedSourceAdapter;
import io.microbatch.translation.sources.ImpulseSource;
import io.microbatch.translation.sources.UnboundedSourceAdapter;

/**
 * Refuses, before anything runs, what a remote executor ({@code --executor} other than local)
 * cannot do yet, naming the option or the transform: test sources (and any source
 * other than bounded, Impulse and unbounded {@code Read}s, whose readers stay on the driver).
 * Silently different results are worse than a refusal.
 */
final class RemoteExecutionCheck {
  private RemoteExecutionCheck() {}

  static void check(MicroBatchPipelineOptions options, StepGraph graph) {
    String executor = "--executor=" + options.getExecutor();
    for (Step step : graph.steps()) {
      if (step instanceof Step.SourceStep source
          && !(source.source() instanceof BoundedSourceAdapter<?>)
          && !(source.source() instanceof ImpulseSource)
          && !(source.source() instanceof UnboundedSourceAdapter<?, ?>)) {
        throw new IllegalArgumentException(executor + " supports bounded sources, Impulse and "
            + "unbounded Reads only for now; step '" + source.name() + "' reads "
            + source.source().getClass().getSimpleName());
      }
    }
  }
}
