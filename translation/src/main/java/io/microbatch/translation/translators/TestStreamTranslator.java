package io.microbatch.translation.translators;

import io.microbatch.engine.clock.ManualClock;
import io.microbatch.engine.graph.Step;
import io.microbatch.translation.TransformTranslator;
import io.microbatch.translation.TranslationContext;
import io.microbatch.translation.sources.TestStreamSource;
import java.io.IOException;
import org.apache.beam.sdk.runners.AppliedPTransform;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.util.construction.TestStreamTranslation;
import org.apache.beam.sdk.values.PCollection;

/** TestStream becomes a source replaying its events, driving the pipeline's manual clock. */
public final class TestStreamTranslator implements TransformTranslator {
  @Override
  @SuppressWarnings({"unchecked", "rawtypes"})
  public void translate(AppliedPTransform<?, ?, ?> transform, TranslationContext context) {
    TestStream<Object> stream;
    try {
      stream = TestStreamTranslation.getTestStream((AppliedPTransform) transform);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "Step '" + transform.getFullName() + "' is not a readable TestStream", e);
    }
    ManualClock clock = context.manualClock();
    PCollection<?> output = (PCollection<?>) transform.getOutputs().values().iterator().next();
    context
        .graph()
        .add(
            new Step.SourceStep(
                transform.getFullName(),
                new TestStreamSource<>(stream, clock),
                context.dataset(output)));
  }
}
