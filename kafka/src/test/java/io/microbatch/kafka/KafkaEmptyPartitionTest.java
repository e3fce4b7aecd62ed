package io.microbatch.kafka;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A partition that never received a record is not "idle" to {@code withCreateTime(maxDelay)}: its
 * policy advances an idle partition only after it read one record, so an empty partition holds
 * the watermark, and no window closes, until it receives something. {@code withLogAppendTime()}
 * advances every caught-up partition, empty ones included, to {@code backlogCheckTime - 2 s}.
 */
class KafkaEmptyPartitionTest {
  private static final int PARTITIONS = 4;
  private static final int EMPTY_PARTITION = 3;
  private static final long WINDOW_MILLIS = 2_000;

  private static EmbeddedKafkaBroker kafka;

  @BeforeAll
  static void startBroker() {
    kafka = EmbeddedKafkaBroker.start();
  }

  @AfterAll
  static void stopBroker() {
    kafka.close();
  }

  /** 20 records a minute ago in every partition but the empty one. */
  private static List<TimedRecord> recordsSkippingTheEmptyPartition() {
    long base = System.currentTimeMillis() - 60_000;
    List<TimedRecord> records = new ArrayList<>();
    for (int j = 0; j < 20; j++) {
      for (int p = 0; p < PARTITIONS; p++) {
        if (p != EMPTY_PARTITION) {
          records.add(new TimedRecord(p, "k" + (j + p) % 2, base + j * 100L));
        }
      }
    }
    return records;
  }

  @Test
  void withCreateTimeAPartitionThatNeverReceivedARecordHoldsTheWatermark() throws Exception {
    kafka.createTopic("empty-ct-in", PARTITIONS);
    kafka.createTopic("empty-ct-out", 1);
    List<TimedRecord> records = new ArrayList<>(recordsSkippingTheEmptyPartition());
    TimedRecord.produce(kafka, "empty-ct-in", records);
    PipelineResult result =
        run(
            WindowedCountPipeline.read(kafka, "empty-ct-in")
                .withCreateTime(org.joda.time.Duration.standardSeconds(1)),
            "empty-ct-out");
    try (OutputTopicWatcher watcher = new OutputTopicWatcher(kafka, "empty-ct-out", 1)) {
      // Every other partition is caught up (idle) within a few batches; nothing may close in the
      // 30 batches (6 s at 200 ms) after that.
      KafkaPipelines.awaitRecordsRead(result, records.size(), Duration.ofSeconds(30));
      KafkaPipelines.awaitBatches(result, 30, Duration.ofSeconds(60));
      assertThat(watcher.sortedRecords(), empty());

      // One record in the empty partition, and every window closes.
      TimedRecord first = new TimedRecord(EMPTY_PARTITION, "k0", records.get(0).timestamp());
      TimedRecord.produce(kafka, "empty-ct-in", List.of(first));
      records.add(first);
      List<String> expected = TimedRecord.expectedCounts(records, WINDOW_MILLIS);
      // Still running, so a duplicate could come in a later batch: settle, then read to the end.
      assertThat(
          watcher.await(expected.size(), Duration.ofSeconds(20), Duration.ofSeconds(1)),
          equalTo(expected));
    } finally {
      KafkaPipelines.stop(result);
    }
  }

  @Test
  void withLogAppendTimeAnEmptyPartitionDoesNotHoldTheWatermark() throws Exception {
    kafka.createTopic(
        "empty-lat-in", PARTITIONS, Map.of("message.timestamp.type", "LogAppendTime"));
    kafka.createTopic("empty-lat-out", 1);
    TimedRecord.produce(kafka, "empty-lat-in", recordsSkippingTheEmptyPartition());
    // The broker stamped the records on arrival: read back the timestamps the pipeline will see.
    List<TimedRecord> stamped = readBack("empty-lat-in", 60);
    List<String> expected = TimedRecord.expectedCounts(stamped, WINDOW_MILLIS);

    PipelineResult result =
        run(WindowedCountPipeline.read(kafka, "empty-lat-in").withLogAppendTime(), "empty-lat-out");
    try (OutputTopicWatcher watcher = new OutputTopicWatcher(kafka, "empty-lat-out", 1)) {
      // Still running, so a duplicate could come in a later batch: settle, then read to the end.
      assertThat(
          watcher.await(expected.size(), Duration.ofSeconds(30), Duration.ofSeconds(1)),
          equalTo(expected));
    } finally {
      KafkaPipelines.stop(result);
    }
  }

  private static PipelineResult run(KafkaIO.Read<String, String> read, String output) {
    Pipeline pipeline =
        WindowedCountPipeline.create(
            WindowedCountPipeline.options(),
            read,
            org.joda.time.Duration.millis(WINDOW_MILLIS),
            kafka,
            output);
    return pipeline.run();
  }

  private static List<TimedRecord> readBack(String topic, int count) {
    List<TimedRecord> records = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = KafkaTestClients.consumer(kafka, null)) {
      Set<TopicPartition> all =
          IntStream.range(0, PARTITIONS)
              .mapToObj(p -> new TopicPartition(topic, p))
              .collect(Collectors.toSet());
      consumer.assign(all);
      consumer.seekToBeginning(all);
      long deadline = System.currentTimeMillis() + 20_000;
      while (records.size() < count && System.currentTimeMillis() < deadline) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
          records.add(new TimedRecord(r.partition(), r.key(), r.timestamp()));
        }
      }
    }
    assertThat(records, hasSize(count));
    return records;
  }
}
