package io.microbatch.kafka;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/** A test record: which partition it goes to, its key, and its Kafka (create) timestamp. */
record TimedRecord(int partition, String key, long timestamp) {

  /** Writes the records in list order (so per partition in that order) and waits for every ack. */
  static void produce(EmbeddedKafkaBroker kafka, String topic, List<TimedRecord> records)
      throws ExecutionException, InterruptedException {
    try (KafkaProducer<String, String> producer = KafkaTestClients.producer(kafka)) {
      for (TimedRecord r : records) {
        producer.send(
            new ProducerRecord<>(topic, r.partition(), r.timestamp(), r.key(), "v@" + r.timestamp()));
      }
      producer.flush();
    }
  }

  /**
   * What the pipeline must write for these records: one {@code key@windowStart=count} per key and
   * fixed window of {@code windowMillis} (the format of {@link WindowedCountPipeline}).
   */
  static List<String> expectedCounts(List<TimedRecord> records, long windowMillis) {
    Map<String, Long> counts = new TreeMap<>();
    for (TimedRecord r : records) {
      long start = Math.floorDiv(r.timestamp(), windowMillis) * windowMillis;
      counts.merge(r.key() + "@" + start, 1L, Long::sum);
    }
    return counts.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).sorted().toList();
  }
}
