package io.microbatch.translation;

import io.microbatch.translation.files.StagedWriteFilesOverride;
import io.microbatch.translation.kafka.KafkaOffsetCommitOverride;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.StreamingOptions;
import org.apache.beam.sdk.runners.AppliedPTransform;
import org.apache.beam.sdk.runners.PTransformMatcher;
import org.apache.beam.sdk.runners.PTransformOverride;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.reflect.DoFnSignature;
import org.apache.beam.sdk.transforms.reflect.DoFnSignatures;
import org.apache.beam.sdk.util.construction.PTransformMatchers;
import org.apache.beam.sdk.util.construction.SplittableParDo;
import org.apache.beam.sdk.util.construction.SplittableParDoNaiveBounded;

/**
 * Rewrites applied before translation, so that the pipeline only holds primitives the engine runs:
 * Read as a primitive source, and splittable DoFns expanded. A bounded splittable DoFn runs to
 * completion in plain ParDos (fastest); an unbounded one, or one that needs bundle finalization,
 * stays a keyed process step that checkpoints and resumes across batches. In streaming mode file
 * writes are replaced by the staged, exactly-once {@link StagedWriteFilesOverride}, and KafkaIO's
 * offset commits move behind the batch commit ({@link KafkaOffsetCommitOverride}).
 */
public final class RunnerOverrides {
  private RunnerOverrides() {}

  /** @param parallelism the engine's parallelism: file writes' shard count unless they fix one */
  @SuppressWarnings({"rawtypes", "unchecked"})
  public static void apply(Pipeline pipeline, int parallelism) {
    if (pipeline.getOptions().as(StreamingOptions.class).isStreaming()) {
      pipeline.replaceAll(
          List.of(
              PTransformOverride.of(
                  StagedWriteFilesOverride.matcher(),
                  new StagedWriteFilesOverride(parallelism))));
    }
    pipeline.replaceAll(
        List.of(
            PTransformOverride.of(
                KafkaOffsetCommitOverride.matcher(), new KafkaOffsetCommitOverride())));
    SplittableParDo.convertReadBasedSplittableDoFnsToPrimitiveReads(pipeline);
    pipeline.replaceAll(
        List.of(
            PTransformOverride.of(
                PTransformMatchers.splittableParDo(), new SplittableParDo.OverrideFactory()),
            PTransformOverride.of(
                boundedWithoutBundleFinalizer(),
                new SplittableParDoNaiveBounded.OverrideFactory())));
  }

  /** The naive bounded expansion cannot finalize bundles, so those DoFns keep the keyed path. */
  private static PTransformMatcher boundedWithoutBundleFinalizer() {
    PTransformMatcher bounded = PTransformMatchers.splittableProcessKeyedBounded();
    return new PTransformMatcher() {
      @Override
      public boolean matches(AppliedPTransform<?, ?, ?> application) {
        if (!bounded.matches(application)) {
          return false;
        }
        DoFn<?, ?> fn = ((SplittableParDo.ProcessKeyedElements<?, ?, ?, ?>) application.getTransform()).getFn();
        DoFnSignature signature = DoFnSignatures.signatureForDoFn(fn);
        return signature.processElement().extraParameters().stream()
            .noneMatch(p -> p instanceof DoFnSignature.Parameter.BundleFinalizerParameter);
      }
    };
  }
}
