package io.microbatch.kafka;

import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.io.kafka.ProducerRecordCoder;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * An exactly-once KafkaIO write for the MicroBatch runner: configure a {@link KafkaIO.Write} as
 * usual (bootstrap servers, topic, serializers, producer settings) and wrap it instead of calling
 * its {@code withEOS}:
 *
 * <pre>{@code
 * counts.apply(ExactlyOnceKafkaWrite.of(
 *     KafkaIO.<String, String>write()
 *         .withBootstrapServers(servers)
 *         .withTopic("counts")
 *         .withKeySerializer(StringSerializer.class)
 *         .withValueSerializer(StringSerializer.class),
 *     4, "counts-sink"));
 * }</pre>
 *
 * <p>Each batch's records are produced in Kafka transactions only after the batch was logged and
 * its state committed, and each transaction also commits a marker (the sink group's offset of one
 * partition of the topic), so a batch replayed after a crash skips what it already committed.
 * {@code read_committed} consumers see each record once. With {@code --checkpointDir} this holds
 * across restarts; {@code numShards} (transactions per round at most, one producer each) must not
 * exceed the topic's partitions, and a new checkpoint directory needs a new {@code sinkGroupId}.
 *
 * <p>Why not KafkaIO's own {@code withEOS}: {@code KafkaIO.WriteRecords.validate} refuses every
 * runner but Direct, Dataflow, Spark and Flink when the pipeline runs, and its sink would not be
 * exactly-once here anyway (it shards records at random and commits while the batch runs, before
 * the batch is logged). See {@code docs/kafka.md}.
 */
public final class ExactlyOnceKafkaWrite<K, V> extends PTransform<PCollection<KV<K, V>>, PDone> {
  private final KafkaIO.Write<K, V> write;
  private final int numShards;
  private final String sinkGroupId;

  private ExactlyOnceKafkaWrite(KafkaIO.Write<K, V> write, int numShards, String sinkGroupId) {
    this.write = write;
    this.numShards = numShards;
    this.sinkGroupId = sinkGroupId;
  }

  /**
   * @param write a configured KafkaIO write (without {@code withEOS})
   * @param numShards transactional producers and markers; at most the topic's partitions
   * @param sinkGroupId the consumer group holding the markers; one per job and checkpoint directory
   */
  public static <K, V> ExactlyOnceKafkaWrite<K, V> of(
      KafkaIO.Write<K, V> write, int numShards, String sinkGroupId) {
    if (numShards <= 0) {
      throw new IllegalArgumentException("numShards must be positive, was " + numShards);
    }
    if (sinkGroupId == null || sinkGroupId.isEmpty()) {
      throw new IllegalArgumentException("A sinkGroupId is required");
    }
    return new ExactlyOnceKafkaWrite<>(write, numShards, sinkGroupId);
  }

  @Override
  public PDone expand(PCollection<KV<K, V>> input) {
    KafkaIO.WriteRecords<K, V> spec = write.getWriteRecordsTransform();
    String topic = spec.getTopic();
    if (topic == null) {
      throw new IllegalArgumentException("The exactly-once Kafka write needs withTopic()");
    }
    if (spec.getKeySerializer() == null || spec.getValueSerializer() == null) {
      throw new IllegalArgumentException("The exactly-once Kafka write needs both serializers");
    }
    if (!(input.getCoder() instanceof KvCoder<K, V> kvCoder)) {
      throw new IllegalArgumentException("Input must use a KvCoder, was " + input.getCoder());
    }
    Coder<ProducerRecord<K, V>> recordCoder =
        ProducerRecordCoder.of(kvCoder.getKeyCoder(), kvCoder.getValueCoder());
    return input
        .apply(
            "ToProducerRecords",
            MapElements.into(new TypeDescriptor<ProducerRecord<K, V>>() {})
                .via((KV<K, V> kv) -> new ProducerRecord<>(topic, kv.getKey(), kv.getValue())))
        .setCoder(recordCoder)
        .apply("StagedTransactions", new StagedKafkaWrite<>(spec.withEOS(numShards, sinkGroupId)));
  }
}
