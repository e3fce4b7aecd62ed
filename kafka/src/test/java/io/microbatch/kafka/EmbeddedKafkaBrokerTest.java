package io.microbatch.kafka;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
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

  /**
   * The broker keeps records however old their create times: tests write fixed timestamps years
   * in the past, and a reader resuming from a checkpointed offset must find them after the
   * broker's retention check ran (the Kafka crash test's restarted runs read nothing when it
   * deleted them). The check runs at once and every 100 ms here instead of 30 s after the start
   * and every 5 minutes; a topic with Kafka's default 7-day retention shows that it ran.
   */
  @Test
  void keepsRecordsWithCreateTimesOlderThanKafkasDefaultRetention() throws Exception {
    try (EmbeddedKafkaBroker kafka =
        EmbeddedKafkaBroker.start(
            Map.of("log.initial.task.delay.ms", "0", "log.retention.check.interval.ms", "100"))) {
      kafka.createTopic("old", 1);
      kafka
          .admin()
          .createTopics(
              List.of(
                  new NewTopic("old-with-default-retention", 1, (short) 1)
                      .configs(Map.of("retention.ms", Long.toString(TimeUnit.DAYS.toMillis(7))))))
          .all()
          .get();
      long createTime = 1_700_000_000_000L; // November 2023
      try (KafkaProducer<String, String> producer = KafkaTestClients.producer(kafka)) {
        for (int i = 0; i < 10; i++) {
          for (String topic : List.of("old", "old-with-default-retention")) {
            producer.send(new ProducerRecord<>(topic, 0, createTime + i, "k", "v" + i)).get();
          }
        }
      }

      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (earliestOffset(kafka, "old-with-default-retention") < 10) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("The broker's retention check did not run within 30 s");
        }
        Thread.sleep(100);
      }

      assertThat(earliestOffset(kafka, "old"), equalTo(0L));
      List<String> read = new ArrayList<>();
      try (KafkaConsumer<String, String> consumer = KafkaTestClients.consumer(kafka, null)) {
        TopicPartition old = new TopicPartition("old", 0);
        consumer.assign(Set.of(old));
        consumer.seek(old, 0);
        long readDeadline = System.currentTimeMillis() + 20_000;
        while (read.size() < 10 && System.currentTimeMillis() < readDeadline) {
          consumer.poll(Duration.ofMillis(200)).forEach(r -> read.add(r.value()));
        }
      }
      assertThat(
          read, equalTo(List.of("v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9")));
    }
  }

  private static long earliestOffset(EmbeddedKafkaBroker kafka, String topic) throws Exception {
    TopicPartition partition = new TopicPartition(topic, 0);
    return kafka
        .admin()
        .listOffsets(Map.of(partition, OffsetSpec.earliest()))
        .partitionResult(partition)
        .get()
        .offset();
  }
}
