package io.microbatch.translation.translators;

import io.microbatch.engine.graph.DatasetId;
import io.microbatch.engine.graph.Step;
import io.microbatch.translation.TransformTranslator;
import io.microbatch.translation.TranslationContext;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.runners.AppliedPTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PValue;

/** Flatten becomes a union; an input given twice is delivered twice, an empty one is empty. */
public final class FlattenTranslator implements TransformTranslator {
  @Override
  public void translate(AppliedPTransform<?, ?, ?> transform, TranslationContext context) {
    List<DatasetId> inputs = new ArrayList<>();
    for (PValue input : transform.getInputs().values()) {
      inputs.add(context.dataset((PCollection<?>) input));
    }
    PCollection<?> output = (PCollection<?>) transform.getOutputs().values().iterator().next();
    context
        .graph()
        .add(new Step.UnionStep(transform.getFullName(), inputs, context.dataset(output)));
  }
}
