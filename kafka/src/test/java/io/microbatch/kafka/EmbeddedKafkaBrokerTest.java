package io.microbatch.kafka;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The in-process broker: starts, creates topics with partitions, serves producers and consumers. */
class EmbeddedKafkaBrokerTest {

  @Test
  void servesRecordsWrittenToAPartitionBackWithTheirTimestamps() throws Exception {
    try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start()) {
      assertThat(kafka.bootstrapServers(), startsWith("127.0.0.1:"));
      kafka.createTopic("smoke", 3);
      assertThat(
          kafka.admin().describeTopics(List.of("smoke")).allTopicNames().get().get("smoke")
              .partitions().size(),
          equalTo(3));

      try (KafkaProducer<String, String> producer = KafkaTestClients.producer(kafka)) {
        for (int i = 0; i < 5; i++) {
          producer.send(new ProducerRecord<>("smoke", 2, 1_000L + i, "k" + i, "v" + i)).get();
        }
      }
      List<ConsumerRecord<String, String>> read = new ArrayList<>();
      try (KafkaConsumer<String, String> consumer = KafkaTestClients.consumer(kafka, null)) {
        TopicPartition p2 = new TopicPartition("smoke", 2);
        consumer.assign(Set.of(p2));
        consumer.seekToBeginning(Set.of(p2));
        long deadline = System.currentTimeMillis() + 20_000;
        while (read.size() < 5 && System.currentTimeMillis() < deadline) {
          consumer.poll(Duration.ofMillis(200)).forEach(read::add);
        }
      }
      assertThat(read.size(), equalTo(5));
      assertThat(read.get(4).value(), equalTo("v4"));
      assertThat(read.get(4).timestamp(), equalTo(1_004L));
      assertThat(
          Map.of("partition", read.get(0).partition()), equalTo(Map.of("partition", 2)));
    }
  }
}
