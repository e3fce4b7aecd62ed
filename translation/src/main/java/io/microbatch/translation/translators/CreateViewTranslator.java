package io.microbatch.translation.translators;

import io.microbatch.engine.graph.DatasetId;
import io.microbatch.engine.graph.Step;
import io.microbatch.translation.TransformTranslator;
import io.microbatch.translation.TranslationContext;
import java.util.List;
import org.apache.beam.sdk.runners.AppliedPTransform;
import org.apache.beam.sdk.transforms.windowing.DefaultTrigger;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.PCollection;

/**
 * CreatePCollectionView materializes its input per window as a side input; its output (the same
 * elements) stays available to any consumer.
 */
public final class CreateViewTranslator implements TransformTranslator {
  @Override
  public void translate(AppliedPTransform<?, ?, ?> transform, TranslationContext context) {
    View.CreatePCollectionView<?, ?> create =
        (View.CreatePCollectionView<?, ?>) transform.getTransform();
    PCollection<?> input = (PCollection<?>) transform.getInputs().values().iterator().next();
    PCollection<?> output = (PCollection<?>) transform.getOutputs().values().iterator().next();
    DatasetId in = context.dataset(input);
    context
        .graph()
        .add(
            new Step.ViewStep(
                transform.getFullName(),
                in,
                context.view(create.getView()),
                !(input.getWindowingStrategy().getTrigger() instanceof DefaultTrigger)));
    context
        .graph()
        .add(
            new Step.UnionStep(
                transform.getFullName() + "/output", List.of(in), context.dataset(output)));
  }
}
