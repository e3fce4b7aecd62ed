package io.microbatch.runner;

import io.microbatch.engine.graph.Step;
import io.microbatch.engine.graph.StepGraph;
import io.microbatch.translation.sources.BoundedSourceAdapter;
import io.microbatch.translation.sources.ImpulseSource;
import io.microbatch.translation.sources.UnboundedSourceAdapter;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.reflect.DoFnSignature;
import org.apache.beam.sdk.transforms.reflect.DoFnSignatures;

/**
 * Refuses, before anything runs, what a remote executor ({@code --executor} other than local)
 * cannot do yet, naming the option or the transform: test sources (and any source
 * other than bounded, Impulse and unbounded {@code Read}s, whose readers stay on the driver), and
 * DoFns that finalize bundles (their after-commit work would run in the executor process, which
 * does not keep it past the task). Silently different results are worse than a refusal.
 */
final class RemoteExecutionCheck {
  private RemoteExecutionCheck() {}

  static void check(MicroBatchPipelineOptions options, Pipeline translated, StepGraph graph) {
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
    translated.traverseTopologically(new Pipeline.PipelineVisitor.Defaults() {
      @Override
      public void visitPrimitiveTransform(TransformHierarchy.Node node) {
        DoFn<?, ?> fn = doFnOf(node.getTransform());
        if (fn != null && finalizesBundles(DoFnSignatures.signatureForDoFn(fn))) {
          throw new IllegalArgumentException(executor + " cannot run '" + node.getFullName()
              + "': its DoFn finalizes bundles (DoFn.BundleFinalizer), and after-commit work "
              + "is not run on remote executors yet");
        }
      }
    });
  }

  private static DoFn<?, ?> doFnOf(PTransform<?, ?> transform) {
    if (transform instanceof ParDo.MultiOutput<?, ?> multi) {
      return multi.getFn();
    } else if (transform instanceof ParDo.SingleOutput<?, ?> single) {
      return single.getFn();
    }
    return null;
  }

  private static boolean finalizesBundles(DoFnSignature signature) {
    boolean inProcess = signature.processElement().extraParameters().stream()
        .anyMatch(p -> p instanceof DoFnSignature.Parameter.BundleFinalizerParameter);
    boolean inStart = signature.startBundle() != null
        && signature.startBundle().extraParameters().stream()
            .anyMatch(p -> p instanceof DoFnSignature.Parameter.BundleFinalizerParameter);
    boolean inFinish = signature.finishBundle() != null
        && signature.finishBundle().extraParameters().stream()
            .anyMatch(p -> p instanceof DoFnSignature.Parameter.BundleFinalizerParameter);
    return inProcess || inStart || inFinish;
  }
}
