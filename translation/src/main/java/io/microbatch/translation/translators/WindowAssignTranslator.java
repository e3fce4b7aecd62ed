package io.microbatch.translation.translators;

import io.microbatch.engine.graph.DatasetId;
import io.microbatch.engine.graph.Step;
import io.microbatch.translation.TransformTranslator;
import io.microbatch.translation.TranslationContext;
import io.microbatch.translation.operators.WindowAssignOperatorFactory;
import java.util.List;
import org.apache.beam.sdk.runners.AppliedPTransform;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.transforms.windowing.WindowFn;
import org.apache.beam.sdk.values.PCollection;

/** Window.Assign becomes an element-wise step that assigns windows. */
public final class WindowAssignTranslator implements TransformTranslator {
  @Override
  @SuppressWarnings({"unchecked", "rawtypes"})
  public void translate(AppliedPTransform<?, ?, ?> transform, TranslationContext context) {
    Window.Assign<?> assign = (Window.Assign<?>) transform.getTransform();
    PCollection<?> input = (PCollection<?>) transform.getInputs().values().iterator().next();
    PCollection<?> output = (PCollection<?>) transform.getOutputs().values().iterator().next();
    DatasetId out = context.dataset(output);
    WindowFn<?, ?> windowFn = assign.getWindowFn();
    if (windowFn == null) {
      context
          .graph()
          .add(new Step.UnionStep(transform.getFullName(), List.of(context.dataset(input)), out));
      return;
    }
    context
        .graph()
        .add(
            new Step.ElementStep(
                transform.getFullName(),
                List.of(context.dataset(input)),
                new WindowAssignOperatorFactory<>((WindowFn<Object, BoundedWindow>) windowFn, out),
                List.of(out),
                List.of()));
  }
}
