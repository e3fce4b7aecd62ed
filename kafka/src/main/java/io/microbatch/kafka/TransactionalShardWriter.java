package io.microbatch.kafka;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One shard of the exactly-once Kafka write: a transactional producer (transactional id {@code
 * <sinkGroupId>-shard-<n>}, so a restarted job fences its killed predecessor and aborts its open
 * transaction) and the shard's marker, the sink group's committed offset for partition {@code n}
 * of the write's topic, which holds the next sequence number to commit. Writers live as long as
 * the JVM, one per broker and transactional id.
 */
final class TransactionalShardWriter<K, V> {
  private static final Logger LOG = LoggerFactory.getLogger(TransactionalShardWriter.class);
  private static final ConcurrentMap<String, TransactionalShardWriter<?, ?>> OPEN =
      new ConcurrentHashMap<>();

  private final String name;
  private final Producer<K, V> producer;
  private final TopicPartition marker;
  private final ConsumerGroupMetadata group;
  /** The sequence after the last one Kafka committed: read once, then advanced by our commits. */
  private long committedNext;

  private TransactionalShardWriter(
      String name, Producer<K, V> producer, TopicPartition marker, String groupId, long next) {
    this.name = name;
    this.producer = producer;
    this.marker = marker;
    this.group = new ConsumerGroupMetadata(groupId);
    this.committedNext = next;
  }

  /** This JVM's writer of the shard, opened (and its predecessors fenced) on first use. */
  @SuppressWarnings("unchecked")
  static <K, V> TransactionalShardWriter<K, V> forShard(KafkaIO.WriteRecords<K, V> spec, int shard) {
    String transactionalId = spec.getSinkGroupId() + "-shard-" + shard;
    String key = spec.getProducerConfig().get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG) + "/" + transactionalId;
    return (TransactionalShardWriter<K, V>)
        OPEN.computeIfAbsent(key, k -> open(spec, shard, transactionalId));
  }

  private static <K, V> TransactionalShardWriter<K, V> open(
      KafkaIO.WriteRecords<K, V> spec, int shard, String transactionalId) {
    Map<String, Object> config = new HashMap<>(spec.getProducerConfig());
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, spec.getKeySerializer());
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, spec.getValueSerializer());
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    Producer<K, V> producer =
        spec.getProducerFactoryFn() != null
            ? spec.getProducerFactoryFn().apply(config)
            : new KafkaProducer<>(config);
    try {
      // Fences any earlier producer with this id and aborts its open transaction, before the
      // marker is read: a transaction still open would leave the marker undecided.
      producer.initTransactions();
      String topic = spec.getTopic();
      int partitions = producer.partitionsFor(topic).size();
      if (shard >= partitions) {
        throw new IllegalStateException(
            "withEOS(numShards, ...) must not exceed the partitions of topic " + topic + " ("
                + partitions + "): shard " + shard + " keeps its marker as the sink group's offset"
                + " of partition " + shard);
      }
      TopicPartition marker = new TopicPartition(topic, shard);
      long next = committedMarker(spec, marker);
      LOG.info("{}: opened, next sequence to commit is {}", transactionalId, next);
      return new TransactionalShardWriter<>(
          transactionalId, producer, marker, spec.getSinkGroupId(), next);
    } catch (RuntimeException e) {
      producer.close();
      throw e;
    }
  }

  private static long committedMarker(KafkaIO.WriteRecords<?, ?> spec, TopicPartition marker) {
    Map<String, Object> config = new HashMap<>();
    config.put(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
        spec.getProducerConfig().get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG));
    config.put(ConsumerConfig.GROUP_ID_CONFIG, spec.getSinkGroupId());
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    // Waits out offsets of transactions still pending rather than reading around them.
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    try (Consumer<?, ?> consumer =
        spec.getConsumerFactoryFn() != null
            ? spec.getConsumerFactoryFn().apply(config)
            : new KafkaConsumer<>(config)) {
      OffsetAndMetadata committed = consumer.committed(Set.of(marker)).get(marker);
      return committed == null ? 0L : committed.offset();
    }
  }

  /**
   * Produces one staged pane in a transaction that also moves the marker to {@code sequence + 1},
   * unless Kafka already committed that sequence (the pane's batch is a replay). Fails, and drops
   * this writer, on any Kafka error: the job then fails and its restart replays the batch.
   */
  synchronized void commit(long sequence, List<ProducerRecord<K, V>> records) {
    if (sequence < committedNext) {
      LOG.info("{}: sequence {} was committed before ({} records), not producing it again",
          name, sequence, records.size());
      return;
    }
    if (sequence > committedNext) {
      // Every sequence below this one was committed before the state that produced it was
      // checkpointed, so a gap means the marker was lost or belongs to another job.
      throw new IllegalStateException(
          name + ": staged sequence " + sequence + " but the sink group's marker says " + committedNext
              + " is next; was the sink group reset, expired or shared with another job?");
    }
    try {
      producer.beginTransaction();
      for (ProducerRecord<K, V> record : records) {
        producer.send(record);
      }
      producer.sendOffsetsToTransaction(
          Map.of(marker, new OffsetAndMetadata(sequence + 1)), group);
      producer.commitTransaction();
      committedNext = sequence + 1;
    } catch (RuntimeException e) {
      OPEN.values().remove(this);
      try {
        if (!(e instanceof ProducerFencedException)) {
          producer.abortTransaction();
        }
      } catch (RuntimeException abortFailure) {
        e.addSuppressed(abortFailure);
      } finally {
        producer.close();
      }
      throw e;
    }
  }
}
