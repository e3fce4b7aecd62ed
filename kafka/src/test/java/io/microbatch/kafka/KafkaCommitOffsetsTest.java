package io.microbatch.kafka;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code commitOffsetsInFinalize()} on the legacy read: the reader's checkpoint mark of a batch is
 * finalized only after the batch committed, and only then does KafkaIO commit its offsets to the
 * consumer group. So the group's committed offsets must never run ahead of what the pipeline's
 * last stage (behind a shuffle) has processed, and must reach the end of every partition.
 */
class KafkaCommitOffsetsTest {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaCommitOffsetsTest.class);
  private static final int PARTITIONS = 4;
  private static final int RECORDS_PER_PARTITION = 500;
  /** Highest offset the keyed stage processed, per partition. */
  private static final Map<Integer, Long> PROCESSED = new ConcurrentHashMap<>();

  private static EmbeddedKafkaBroker kafka;

  @BeforeAll
  static void startBroker() {
    kafka = EmbeddedKafkaBroker.start();
  }

  @AfterAll
  static void stopBroker() {
    kafka.close();
  }

  /** Keyed by partition (so it runs after a shuffle): remembers the highest offset processed. */
  static final class RecordProcessedOffsets extends DoFn<KV<Integer, Long>, Void> {
    @StateId("max")
    private final StateSpec<ValueState<Long>> max = StateSpecs.value();

    @ProcessElement
    public void process(@Element KV<Integer, Long> offset, @StateId("max") ValueState<Long> max) {
      Long before = max.read();
      long now = before == null ? offset.getValue() : Math.max(before, offset.getValue());
      max.write(now);
      PROCESSED.merge(offset.getKey(), now, Math::max);
    }
  }

  @Test
  void commitsOffsetsOnlyAfterTheBatchCommittedAndNeverAheadOfProcessing() throws Exception {
    String input = "commit-in";
    String group = "commit-group";
    kafka.createTopic(input, PARTITIONS);
    List<TimedRecord> records = new ArrayList<>();
    long now = System.currentTimeMillis();
    for (int j = 0; j < RECORDS_PER_PARTITION; j++) {
      for (int p = 0; p < PARTITIONS; p++) {
        records.add(new TimedRecord(p, "k" + j % 5, now + j));
      }
    }
    TimedRecord.produce(kafka, input, records);
    PROCESSED.clear();

    Pipeline pipeline =
        Pipeline.create(
            WindowedCountPipeline.options("--maxRecordsPerBatch=100", "--backpressure=false"));
    pipeline
        .apply(
            "ReadKafka",
            WindowedCountPipeline.read(kafka, input)
                .withConsumerConfigUpdates(
                    Map.of(
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                        ConsumerConfig.GROUP_ID_CONFIG, group))
                .commitOffsetsInFinalize())
        .apply(
            "PartitionAndOffset",
            MapElements.into(
                    TypeDescriptors.kvs(TypeDescriptors.integers(), TypeDescriptors.longs()))
                .via((KafkaRecord<String, String> r) -> KV.of(r.getPartition(), r.getOffset())))
        .apply("RecordProcessed", ParDo.of(new RecordProcessedOffsets()));

    PipelineResult result = pipeline.run();
    Map<Integer, Set<Long>> commitsSeen = new HashMap<>();
    int observations = 0;
    try {
      long deadline = System.currentTimeMillis() + 40_000;
      Map<Integer, Long> committed = Map.of();
      while (System.currentTimeMillis() < deadline && !allAtEnd(committed)) {
        // Committed first, processed second: processing only grows, so a commit that follows
        // processing can never exceed the snapshot taken after it.
        committed = KafkaTestClients.committedOffsets(kafka, group);
        Map<Integer, Long> processed = new HashMap<>(PROCESSED);
        for (Map.Entry<Integer, Long> c : committed.entrySet()) {
          long processedNext = processed.getOrDefault(c.getKey(), -1L) + 1;
          assertThat(
              "partition " + c.getKey() + " committed " + c.getValue() + ", processed " + processed,
              c.getValue(),
              lessThanOrEqualTo(processedNext));
          commitsSeen.computeIfAbsent(c.getKey(), k -> new HashSet<>()).add(c.getValue());
          observations++;
        }
        Thread.sleep(20);
      }
      assertThat(committed.toString(), allAtEnd(committed), equalTo(true));
    } finally {
      KafkaPipelines.stop(result);
    }
    LOG.info(
        "{} observations of committed offsets; distinct values per partition: {}",
        observations,
        commitsSeen);
    // The commits advanced batch by batch (100 records per batch over 4 partitions), not once at
    // the end. Sampling every few batches sees only some of them.
    long intermediate =
        commitsSeen.values().stream()
            .flatMap(Set::stream)
            .filter(o -> o > 0 && o < RECORDS_PER_PARTITION)
            .count();
    assertThat(commitsSeen.toString(), intermediate, greaterThanOrEqualTo(4L));
  }

  private static boolean allAtEnd(Map<Integer, Long> committed) {
    if (committed.size() < PARTITIONS) {
      return false;
    }
    return committed.values().stream().allMatch(o -> o == RECORDS_PER_PARTITION);
  }
}
