package io.microbatch.translation.translators;

import io.microbatch.engine.graph.Step;
import io.microbatch.engine.source.BatchSource;
import io.microbatch.translation.TransformTranslator;
import io.microbatch.translation.TranslationContext;
import io.microbatch.translation.sources.BoundedSourceAdapter;
import io.microbatch.translation.sources.UnboundedSourceAdapter;
import org.apache.beam.sdk.runners.AppliedPTransform;
import org.apache.beam.sdk.util.construction.SplittableParDo;
import org.apache.beam.sdk.values.PCollection;

/**
 * A primitive Read becomes a source step: a bounded source read whole in the first batch, an
 * unbounded source read in slices, batch after batch.
 */
public final class ReadTranslator implements TransformTranslator {
  @Override
  public void translate(AppliedPTransform<?, ?, ?> transform, TranslationContext context) {
    PCollection<?> output = (PCollection<?>) transform.getOutputs().values().iterator().next();
    context
        .graph()
        .add(
            new Step.SourceStep(
                transform.getFullName(), adapt(transform, context), context.dataset(output)));
  }

  private static BatchSource adapt(
      AppliedPTransform<?, ?, ?> transform, TranslationContext context) {
    Object read = transform.getTransform();
    if (read instanceof SplittableParDo.PrimitiveBoundedRead<?> bounded) {
      return new BoundedSourceAdapter<>(bounded.getSource(), context.options());
    }
    if (read instanceof SplittableParDo.PrimitiveUnboundedRead<?> unbounded) {
      return new UnboundedSourceAdapter<>(unbounded.getSource(), context.options());
    }
    throw new IllegalArgumentException(
        "Step '"
            + transform.getFullName()
            + "' is a Read the runner cannot run: "
            + read.getClass().getName());
  }
}
