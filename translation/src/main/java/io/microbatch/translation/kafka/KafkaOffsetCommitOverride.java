package io.microbatch.translation.kafka;

import org.apache.beam.sdk.runners.AppliedPTransform;
import org.apache.beam.sdk.runners.PTransformMatcher;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.util.construction.PTransformReplacements;
import org.apache.beam.sdk.util.construction.SingleInputOutputOverrideFactory;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * Moves the offset commits of KafkaIO's splittable read ({@code commitOffsetsInFinalize()} on the
 * SDF path) behind the batch commit. KafkaIO commits from a plain DoFn ({@code
 * KafkaCommitOffset.CommitOffsetDoFn}) that would run inside the batch, so a batch that then
 * failed would already have moved the consumer group's offsets; the replacement hands each commit
 * to a bundle finalizer instead, which the runner calls only once the batch committed.
 *
 * <p>Matched by class name: the DoFn is package-private in KafkaIO, and the runner must not need
 * KafkaIO on its classpath.
 */
public final class KafkaOffsetCommitOverride<K>
    extends SingleInputOutputOverrideFactory<
        PCollection<? extends KV<K, Long>>,
        PCollection<Void>,
        ParDo.SingleOutput<KV<K, Long>, Void>> {

  /** KafkaIO's commit DoFn, as it is named in beam-sdks-java-io-kafka 2.73.0. */
  static final String COMMIT_FN_CLASS =
      "org.apache.beam.sdk.io.kafka.KafkaCommitOffset$CommitOffsetDoFn";

  /** KafkaIO's offset commit steps. */
  public static PTransformMatcher matcher() {
    return KafkaOffsetCommitOverride::isKafkaCommit;
  }

  private static boolean isKafkaCommit(AppliedPTransform<?, ?, ?> application) {
    PTransform<?, ?> transform = application.getTransform();
    return transform instanceof ParDo.SingleOutput<?, ?> parDo
        && parDo.getFn().getClass().getName().equals(COMMIT_FN_CLASS);
  }

  @Override
  public PTransformReplacement<PCollection<? extends KV<K, Long>>, PCollection<Void>>
      getReplacementTransform(
          AppliedPTransform<
                  PCollection<? extends KV<K, Long>>, PCollection<Void>,
                  ParDo.SingleOutput<KV<K, Long>, Void>>
              transform) {
    DoFn<KV<K, Long>, Void> commit = transform.getTransform().getFn();
    return PTransformReplacement.of(
        PTransformReplacements.getSingletonMainInput(transform),
        ParDo.of(new CommitAfterBatchFn<>(commit)));
  }
}
