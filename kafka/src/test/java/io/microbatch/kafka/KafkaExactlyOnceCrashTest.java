package io.microbatch.kafka;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.microbatch.runner.recovery.CheckpointTarget;
import io.microbatch.runner.recovery.CrashHarness;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka end to end, exactly once across restarts: {@link KafkaCrashTestJob} (KafkaIO read, fixed
 * event-time windows, count per key, {@link ExactlyOnceKafkaWrite}) runs in a child JVM
 * against the broker in this JVM, is killed with SIGKILL at seeded random moments and restarted
 * from its checkpoint directory each time until it finishes; a {@code read_committed} consumer must
 * then find every expected count in the output topic exactly once. {@code -Dcrash.kafka.kills=N}
 * sets the number of kills (default 5), {@code -Dcrash.seed=S} replays a sequence of kill moments,
 * {@code -Dcrash.kafka.recordsPerPartition=N} the input size (default 2,000 per partition).
 */
class KafkaExactlyOnceCrashTest {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaExactlyOnceCrashTest.class);
  private static final int PARTITIONS = 4;

  private static EmbeddedKafkaBroker kafka;

  @BeforeAll
  static void startBroker() {
    kafka = EmbeddedKafkaBroker.start();
  }

  @AfterAll
  static void stopBroker() {
    kafka.close();
  }

  /**
   * Needs the broker to keep the input: its create times are fixed in 2023, and under Kafka's
   * default 7-day retention the broker deleted it 30 s after starting, so every run restarted after
   * that read nothing from its checkpointed offsets and the last run never finished ({@link
   * EmbeddedKafkaBroker} now turns time-based retention off).
   */
  @Test
  void killedAtRandomMomentsTheJobWritesEveryWindowCountToKafkaExactlyOnce(@TempDir Path dir)
      throws Exception {
    int perPartition = Integer.getInteger("crash.kafka.recordsPerPartition", 2_000);
    int kills = Integer.getInteger("crash.kafka.kills", 5);
    long seed = Long.getLong("crash.seed", 20260309L);
    kafka.createTopic("crash-in", PARTITIONS);
    kafka.createTopic("crash-out", PARTITIONS);
    List<TimedRecord> input = ExactlyOnceCountsPipeline.input(PARTITIONS, perPartition);
    // All input exists before the first run: what the job must write is fixed.
    TimedRecord.produce(kafka, "crash-in", input);
    List<String> expected =
        TimedRecord.expectedCounts(input, ExactlyOnceCountsPipeline.WINDOW.getMillis());

    CrashHarness harness =
        new CrashHarness(
            KafkaCrashTestJob.class,
            List.of(
                kafka.bootstrapServers(),
                "crash-in",
                Integer.toString(perPartition),
                "crash-out",
                "crash-sink",
                "--maxRecordsPerBatch=100",
                // A fixed intake per batch, so that the input takes about 80 batches to read.
                "--backpressure=false",
                "--batchLogLevel=INFO"),
            new CheckpointTarget("file", dir.resolve("checkpoints").toUri().toString(), Map.of()),
            // Outside the temporary directory, so the runs' output is there to read after a failure.
            Path.of("target", "crash-logs", getClass().getSimpleName()),
            // The engine's summary of a committed batch (--batchLogLevel=INFO): kills count from
            // the run's first batch, however long its JVM took to get there.
            "MicroBatchEngine - batch ");
    CrashHarness.Outcome outcome =
        harness.run(
            new CrashHarness.Plan(
                kills,
                seed,
                // From a run's first batch: all 5 kills together stay well short of the 80
                // batches the input takes (at least 12 s at full speed, 16 s at the interval).
                Duration.ofMillis(100),
                Duration.ofMillis(1_500),
                Duration.ofMinutes(Long.getLong("crash.kafka.lastRunMinutes", 3))));

    List<String> written = readCommitted("crash-out");
    LOG.info(
        "{} kills, {} runs in {} ms; {} records committed to the output topic, {} expected",
        outcome.kills(),
        outcome.runs(),
        outcome.elapsed().toMillis(),
        written.size(),
        expected.size());
    // A job that finished before its kills proves nothing about recovery.
    assertThat("kills that landed before the job finished", outcome.kills(), equalTo(kills));
    assertThat("records written more than once", duplicates(written), equalTo(Map.of()));
    assertThat(written, equalTo(expected));
  }

  /**
   * Everything committed to the topic, as sorted {@code key@value}, read with {@code
   * read_committed} once no transaction is open on it (the last committed offset equals the end).
   */
  private static List<String> readCommitted(String topic) throws Exception {
    List<TopicPartition> partitions =
        IntStream.range(0, PARTITIONS).mapToObj(p -> new TopicPartition(topic, p)).toList();
    Map<TopicPartition, Long> end = awaitNoOpenTransaction(partitions);
    Properties config = new Properties();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    List<String> records = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("Could not read the output topic up to " + end);
        }
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
          records.add(r.key() + "@" + r.value());
        }
      }
    }
    return records.stream().sorted().toList();
  }

  private static Map<TopicPartition, Long> awaitNoOpenTransaction(List<TopicPartition> partitions)
      throws Exception {
    Map<TopicPartition, OffsetSpec> latest =
        partitions.stream().collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (true) {
      Map<TopicPartition, Long> committed = offsets(latest, IsolationLevel.READ_COMMITTED);
      Map<TopicPartition, Long> all = offsets(latest, IsolationLevel.READ_UNCOMMITTED);
      if (committed.equals(all)) {
        return committed;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "A transaction stays open on the output topic: committed up to " + committed
                + ", written up to " + all);
      }
      Thread.sleep(50);
    }
  }

  private static Map<TopicPartition, Long> offsets(
      Map<TopicPartition, OffsetSpec> specs, IsolationLevel isolation) throws Exception {
    ListOffsetsResult result =
        kafka.admin().listOffsets(specs, new ListOffsetsOptions(isolation));
    Map<TopicPartition, Long> offsets = new HashMap<>();
    for (TopicPartition tp : specs.keySet()) {
      offsets.put(tp, result.partitionResult(tp).get().offset());
    }
    return offsets;
  }

  private static Map<String, Long> duplicates(List<String> records) {
    Map<String, Long> counts = new TreeMap<>();
    records.forEach(r -> counts.merge(r, 1L, Long::sum));
    counts.values().removeIf(n -> n == 1);
    return counts;
  }
}
