package io.microbatch.kafka;

import io.microbatch.translation.RunnerOverrideProvider;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.StreamingOptions;
import org.apache.beam.sdk.runners.AppliedPTransform;
import org.apache.beam.sdk.runners.PTransformMatcher;
import org.apache.beam.sdk.runners.PTransformOverride;
import org.apache.beam.sdk.runners.PTransformOverrideFactory;
import org.apache.beam.sdk.util.construction.PTransformReplacements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * In streaming mode, replaces every KafkaIO write that asks for exactly-once ({@code
 * withEOS(numShards, sinkGroupId)}) with {@link StagedKafkaWrite}: a batch's records are produced in
 * Kafka transactions only after the batch was logged and committed, each transaction marked in the
 * sink group's offsets so that a replayed batch does not produce again what it already committed.
 *
 * <p>KafkaIO's own exactly-once sink does not hold on this engine: it shards records at random and
 * commits its transactions while the batch runs, before the batch is logged, so a replayed batch
 * gives records other sequence ids than the committed ones (see {@code docs/kafka.md}). Writes
 * without {@code withEOS} keep KafkaIO's at-least-once writer. Found through {@link
 * java.util.ServiceLoader} when {@code microbatch-kafka} is on the classpath.
 */
public final class KafkaExactlyOnceOverrides implements RunnerOverrideProvider {

  @Override
  public List<PTransformOverride> overrides(PipelineOptions options, int parallelism) {
    if (!options.as(StreamingOptions.class).isStreaming()) {
      return List.of();
    }
    return List.of(PTransformOverride.of(matcher(), new Factory<>()));
  }

  /** KafkaIO writes with {@code withEOS}. */
  static PTransformMatcher matcher() {
    return application ->
        application.getTransform() instanceof KafkaIO.WriteRecords<?, ?> write && write.isEOS();
  }

  private static final class Factory<K, V>
      implements PTransformOverrideFactory<
          PCollection<ProducerRecord<K, V>>, PDone, KafkaIO.WriteRecords<K, V>> {

    @Override
    public PTransformReplacement<PCollection<ProducerRecord<K, V>>, PDone> getReplacementTransform(
        AppliedPTransform<PCollection<ProducerRecord<K, V>>, PDone, KafkaIO.WriteRecords<K, V>>
            transform) {
      return PTransformReplacement.of(
          PTransformReplacements.getSingletonMainInput(transform),
          new StagedKafkaWrite<>(transform.getTransform()));
    }

    @Override
    public Map<PCollection<?>, ReplacementOutput> mapOutputs(
        Map<TupleTag<?>, PCollection<?>> outputs, PDone newOutput) {
      // A write has no outputs to map.
      return Map.of();
    }
  }
}
