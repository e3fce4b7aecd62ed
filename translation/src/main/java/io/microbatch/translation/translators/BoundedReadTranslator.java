package io.microbatch.translation.translators;

import io.microbatch.engine.graph.Step;
import io.microbatch.translation.TransformTranslator;
import io.microbatch.translation.TranslationContext;
import io.microbatch.translation.sources.BoundedSourceAdapter;
import org.apache.beam.sdk.runners.AppliedPTransform;
import org.apache.beam.sdk.util.construction.SplittableParDo;
import org.apache.beam.sdk.values.PCollection;

/** A primitive bounded Read becomes a source read whole in the first batch. */
public final class BoundedReadTranslator implements TransformTranslator {
  @Override
  public void translate(AppliedPTransform<?, ?, ?> transform, TranslationContext context) {
    SplittableParDo.PrimitiveBoundedRead<?> read =
        (SplittableParDo.PrimitiveBoundedRead<?>) transform.getTransform();
    PCollection<?> output = (PCollection<?>) transform.getOutputs().values().iterator().next();
    context
        .graph()
        .add(
            new Step.SourceStep(
                transform.getFullName(),
                new BoundedSourceAdapter<>(read.getSource(), context.options()),
                context.dataset(output)));
  }
}
