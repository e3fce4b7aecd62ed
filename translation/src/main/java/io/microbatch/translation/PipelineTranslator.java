package io.microbatch.translation;

import io.microbatch.engine.graph.StepGraph;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.runners.AppliedPTransform;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.apache.beam.sdk.util.construction.PTransformTranslation;

/**
 * Translates a Beam pipeline into the engine's step graph: applies the runner overrides, then
 * walks the pipeline in topological order and hands each transform to its translator. A transform
 * without one fails here, before any data moves, naming the step and its URN.
 */
public final class PipelineTranslator {
  private final TranslatorRegistry registry;

  public PipelineTranslator(TranslatorRegistry registry) {
    this.registry = registry;
  }

  /** Translates with the machine's core count as parallelism. */
  public StepGraph translate(Pipeline pipeline, PipelineOptions options) {
    return translate(pipeline, options, Runtime.getRuntime().availableProcessors());
  }

  /** @param parallelism the engine's parallelism (partitions of keyed stages, file shards) */
  public StepGraph translate(Pipeline pipeline, PipelineOptions options, int parallelism) {
    RunnerOverrides.apply(pipeline, parallelism);
    TranslationContext context = new TranslationContext(options);
    pipeline.traverseTopologically(
        new Pipeline.PipelineVisitor.Defaults() {
          @Override
          public CompositeBehavior enterCompositeTransform(TransformHierarchy.Node node) {
            if (node.isRootNode()) {
              return CompositeBehavior.ENTER_TRANSFORM;
            }
            AppliedPTransform<?, ?, ?> applied = node.toAppliedPTransform(pipeline);
            TransformTranslator translator = registry.composite(urnOf(node));
            if (translator != null && translator.canTranslate(applied, context)) {
              translator.translate(applied, context);
              return CompositeBehavior.DO_NOT_ENTER_TRANSFORM;
            }
            return CompositeBehavior.ENTER_TRANSFORM;
          }

          @Override
          public void visitPrimitiveTransform(TransformHierarchy.Node node) {
            String urn = urnOf(node);
            TransformTranslator translator = registry.primitive(urn);
            if (translator == null) {
              throw new UnsupportedOperationException(
                  String.format(
                      "The MicroBatchRunner cannot run step '%s' (%s, URN %s)",
                      node.getFullName(),
                      node.getTransform() == null
                          ? "no transform"
                          : node.getTransform().getClass().getName(),
                      urn));
            }
            translator.translate(node.toAppliedPTransform(pipeline), context);
          }
        });
    return context.graph();
  }

  private static String urnOf(TransformHierarchy.Node node) {
    return node.getTransform() == null
        ? null
        : PTransformTranslation.urnForTransformOrNull(node.getTransform());
  }
}
