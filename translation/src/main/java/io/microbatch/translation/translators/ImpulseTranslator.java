package io.microbatch.translation.translators;

import io.microbatch.engine.graph.Step;
import io.microbatch.translation.TransformTranslator;
import io.microbatch.translation.TranslationContext;
import io.microbatch.translation.sources.ImpulseSource;
import org.apache.beam.sdk.runners.AppliedPTransform;
import org.apache.beam.sdk.values.PCollection;

/** Impulse becomes a source of a single element. */
public final class ImpulseTranslator implements TransformTranslator {
  @Override
  public void translate(AppliedPTransform<?, ?, ?> transform, TranslationContext context) {
    PCollection<?> output = (PCollection<?>) transform.getOutputs().values().iterator().next();
    context
        .graph()
        .add(new Step.SourceStep(transform.getFullName(), new ImpulseSource(), context.dataset(output)));
  }
}
