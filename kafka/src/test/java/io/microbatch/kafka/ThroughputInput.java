package io.microbatch.kafka;

import java.util.HashSet;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The benchmark's input, produced once before any configuration runs: {@code perPartition} small
 * records in each partition, {@code KEYS} keys round robin, create times 1 ms apart per partition
 * from a fixed instant in 2023 (the embedded broker keeps records of any age), so that fixed
 * windows of {@link #WINDOW_MILLIS} close one after another as the input is read.
 */
final class ThroughputInput {
  static final int KEYS = 10;
  static final long WINDOW_MILLIS = 1_000;
  private static final long BASE_MILLIS = 1_700_000_000_000L;

  private ThroughputInput() {}

  /**
   * Writes the input and waits for every ack; returns how many {@code key@window} results the
   * pipeline must write.
   */
  static int produce(EmbeddedKafkaBroker kafka, String topic, int partitions, int perPartition) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    // Throughput, not latency, matters here: batch the sends.
    p.put(ProducerConfig.ACKS_CONFIG, "1");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
    Set<String> results = new HashSet<>();
    // Sends are asynchronous: remember the first failure instead of losing it.
    AtomicReference<Exception> failure = new AtomicReference<>();
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      for (int i = 0; i < perPartition; i++) {
        for (int partition = 0; partition < partitions; partition++) {
          long timestamp = BASE_MILLIS + i;
          String key = "key-" + (i + partition) % KEYS;
          producer.send(
              new ProducerRecord<>(topic, partition, timestamp, key, "v" + i),
              (metadata, e) -> {
                if (e != null) {
                  failure.compareAndSet(null, e);
                }
              });
          results.add(key + "@" + timestamp / WINDOW_MILLIS);
        }
      }
      producer.flush();
    }
    if (failure.get() != null) {
      throw new IllegalStateException("Producing the input failed", failure.get());
    }
    return results.size();
  }
}
