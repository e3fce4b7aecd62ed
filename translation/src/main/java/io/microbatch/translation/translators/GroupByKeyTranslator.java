package io.microbatch.translation.translators;

import io.microbatch.engine.graph.DatasetId;
import io.microbatch.engine.graph.Step;
import io.microbatch.translation.TransformTranslator;
import io.microbatch.translation.TranslationContext;
import io.microbatch.translation.operators.GroupAlsoByWindowOperatorFactory;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.runners.AppliedPTransform;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.WindowingStrategy;

/**
 * GroupByKey becomes a shuffle by the encoded key and a keyed step that groups also by window with
 * the input's windowing strategy and trigger.
 */
public final class GroupByKeyTranslator implements TransformTranslator {
  @Override
  @SuppressWarnings({"unchecked", "rawtypes"})
  public void translate(AppliedPTransform<?, ?, ?> transform, TranslationContext context) {
    PCollection<?> input = (PCollection<?>) transform.getInputs().values().iterator().next();
    PCollection<?> output = (PCollection<?>) transform.getOutputs().values().iterator().next();
    if (!(input.getCoder() instanceof KvCoder<?, ?> kvCoder)) {
      throw new IllegalArgumentException(
          "Step '" + transform.getFullName() + "' needs a KvCoder input, has " + input.getCoder());
    }
    DatasetId out = context.dataset(output);
    WindowingStrategy<?, BoundedWindow> strategy =
        (WindowingStrategy<?, BoundedWindow>) input.getWindowingStrategy();
    context
        .graph()
        .add(
            new Step.KeyedStep(
                transform.getFullName(),
                context.dataset(input),
                TranslationContext.keyEncoder(transform, kvCoder.getKeyCoder()),
                GroupAlsoByWindowOperatorFactory.buffering(
                    (org.apache.beam.sdk.coders.Coder) kvCoder.getKeyCoder(),
                    kvCoder.getValueCoder(),
                    strategy,
                    out,
                    context.serializableOptions()),
                List.of(out),
                List.of()));
  }
}
