package io.microbatch.kafka;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.anEmptyMap;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.Pipeline.PipelineExecutionException;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.joda.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * KafkaIO's splittable (SDF) read: windows close when the timestamp policy says the input ended,
 * and {@code commitOffsetsInFinalize()} commits offsets to the consumer group only after the
 * batch committed (the runner moves KafkaIO's commit DoFn into a bundle finalizer).
 */
class KafkaSdfReadTest {
  private static final long WINDOW_MILLIS = 10_000;
  private static final int PARTITIONS = 2;
  private static final int RECORDS_PER_PARTITION = 150;
  private static final String[] KEYS = {"alpha", "beta", "gamma"};
  /** 2023-01-01T00:00Z: the wall clock never closes these windows, only the policy does. */
  private static final long BASE = 1_672_531_200_000L;

  private static EmbeddedKafkaBroker kafka;

  @BeforeAll
  static void startBroker() {
    kafka = EmbeddedKafkaBroker.start();
  }

  @AfterAll
  static void stopBroker() {
    kafka.close();
  }

  /** Three 10 s windows per partition, 200 ms apart, in timestamp order per partition. */
  private static List<TimedRecord> produceRecords(String topic) throws Exception {
    kafka.createTopic(topic, PARTITIONS);
    List<TimedRecord> records = new ArrayList<>();
    for (int j = 0; j < RECORDS_PER_PARTITION; j++) {
      for (int p = 0; p < PARTITIONS; p++) {
        records.add(new TimedRecord(p, KEYS[(j + p) % KEYS.length], BASE + j * 200L + p));
      }
    }
    TimedRecord.produce(kafka, topic, records);
    return records;
  }

  /** SDF read of the fixed input whose watermark goes to the end of time once it is read. */
  private static KafkaIO.Read<String, String> endOfInputRead(String topic) {
    return WindowedCountPipeline.read(kafka, topic)
        .withConsumerPollingTimeout(1)
        .withTimestampPolicyFactory(
            EndOfInputTimestampPolicy.factory(RECORDS_PER_PARTITION, Duration.ZERO));
  }

  @Test
  void writesEveryWindowIncludingTheLastOnceThePolicyEndsTheInput() throws Exception {
    String input = "sdf-end-in";
    String output = "sdf-end-out";
    List<String> expected = TimedRecord.expectedCounts(produceRecords(input), WINDOW_MILLIS);
    assertThat(expected, hasSize(9));
    kafka.createTopic(output, 1);

    Pipeline pipeline =
        WindowedCountPipeline.create(
            WindowedCountPipeline.options("--experiments=use_sdf_read"),
            endOfInputRead(input),
            Duration.millis(WINDOW_MILLIS),
            kafka,
            output);
    PipelineResult result = pipeline.run();
    try (OutputTopicWatcher watcher = new OutputTopicWatcher(kafka, output, 1)) {
      // The job ends by itself once the policy ended the input; then the topic holds all it ever
      // will, so reading it to its end offsets finds every record, duplicates included.
      PipelineResult.State state = result.waitUntilFinish(Duration.standardSeconds(60));
      assertThat(
          "the job's state 60 s after run(); output so far " + watcher.sortedRecords(),
          state,
          equalTo(PipelineResult.State.DONE));
      List<String> written = watcher.readToEnd(java.time.Duration.ofSeconds(20));
      assertThat(written, equalTo(expected));
    } finally {
      stopOrFinish(result);
    }
  }

  @Test
  void commitsEveryPartitionsOffsetsToTheEndAfterItsBatchesCommitted() throws Exception {
    String input = "sdf-commit-in";
    String group = "sdf-commit-group";
    produceRecords(input);
    Pipeline pipeline =
        Pipeline.create(WindowedCountPipeline.options("--experiments=use_sdf_read"));
    pipeline
        .apply("ReadKafka", committingRead(input, group).withoutMetadata())
        .apply("Window", Window.into(FixedWindows.of(Duration.millis(WINDOW_MILLIS))))
        .apply("CountPerKey", Count.perKey());
    PipelineResult result = pipeline.run();
    try {
      Map<Integer, Long> committed = Map.of();
      long deadline = System.currentTimeMillis() + 40_000;
      while (System.currentTimeMillis() < deadline && !allAtEnd(committed)) {
        committed = KafkaTestClients.committedOffsets(kafka, group);
        Thread.sleep(50);
      }
      assertThat(committed, equalTo(Map.of(0, 150L, 1, 150L)));
    } finally {
      stopOrFinish(result);
    }
  }

  /** Once every partition's watermark reached the end of time the job ends by itself. */
  private static void stopOrFinish(PipelineResult result) throws Exception {
    if (!result.getState().isTerminal()) {
      result.cancel();
    }
    assertThat(
        result.waitUntilFinish(Duration.standardSeconds(20)),
        anyOf(equalTo(PipelineResult.State.DONE), equalTo(PipelineResult.State.CANCELLED)));
  }

  @Test
  void aBatchThatFailsCommitsNoOffsets() throws Exception {
    String input = "sdf-fail-in";
    String group = "sdf-fail-group";
    produceRecords(input);
    // KafkaIO's commit branch takes the highest offset per partition in 5-minute windows and
    // commits when such a window closes: here once the policy ends the input. The main branch
    // fails the job in that same batch, when its own window over the same records closes.
    Pipeline pipeline =
        Pipeline.create(WindowedCountPipeline.options("--experiments=use_sdf_read"));
    pipeline
        .apply("ReadKafka", committingRead(input, group).withoutMetadata())
        .apply("Window", Window.into(FixedWindows.of(Duration.standardMinutes(5))))
        .apply("CountPerKey", Count.perKey())
        .apply("FailOnWindowClose", ParDo.of(new FailOnPane()));
    PipelineResult result = pipeline.run();
    PipelineExecutionException failure =
        assertThrows(
            PipelineExecutionException.class,
            () -> result.waitUntilFinish(Duration.standardSeconds(60)));
    assertThat(failure.getCause().getMessage(), containsString("window closed"));
    assertThat(KafkaTestClients.committedOffsets(kafka, group), anEmptyMap());
  }

  /** Fails the batch in which the first pane arrives. */
  static final class FailOnPane extends DoFn<KV<String, Long>, Void> {
    @ProcessElement
    public void process(@Element KV<String, Long> count) {
      throw new IllegalStateException("window closed: " + count);
    }
  }

  private static KafkaIO.Read<String, String> committingRead(String topic, String group) {
    return endOfInputRead(topic)
        .withConsumerConfigUpdates(
            Map.of(
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.GROUP_ID_CONFIG, group))
        .commitOffsetsInFinalize();
  }

  private static boolean allAtEnd(Map<Integer, Long> committed) {
    return committed.size() == PARTITIONS
        && committed.values().stream().allMatch(o -> o == RECORDS_PER_PARTITION);
  }
}
