package io.microbatch.kafka;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.joda.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * KafkaIO end to end on the MicroBatchRunner in streaming mode, over both of KafkaIO's read
 * implementations: records with known Kafka timestamps in a 4-partition topic, fixed event-time
 * windows, a count per key, KafkaIO write to an output topic; the output must be exactly the
 * expected counts, each once.
 */
class KafkaWindowedCountTest {
  private static final long WINDOW_MILLIS = 10_000;
  private static final int PARTITIONS = 4;
  private static final int RECORDS_PER_PARTITION = 150;
  private static final String[] KEYS = {"alpha", "beta", "gamma"};

  private static final Logger LOG = LoggerFactory.getLogger(KafkaWindowedCountTest.class);

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
   * Three windows of records a minute in the past, in every partition, in timestamp order per
   * partition. The read's watermark passes them once every partition is caught up (idle).
   */
  private static List<TimedRecord> records() {
    long base = Math.floorDiv(System.currentTimeMillis(), WINDOW_MILLIS) * WINDOW_MILLIS - 60_000;
    List<TimedRecord> records = new ArrayList<>();
    for (int j = 0; j < RECORDS_PER_PARTITION; j++) {
      for (int p = 0; p < PARTITIONS; p++) {
        records.add(new TimedRecord(p, KEYS[(j * 7 + p) % KEYS.length], base + j * 200L + p * 13L));
      }
    }
    return records;
  }

  @Test
  void legacyUnboundedSourceReadCountsEveryWindowExactlyOnce() throws Exception {
    // KafkaIO 2.73 picks its UnboundedSource (KafkaUnboundedSource) on every runner but Dataflow
    // unless the experiment use_sdf_read is set; use_deprecated_read only makes that explicit.
    List<String> names = runAndCheck("legacy", WindowedCountPipeline.options(), read -> read);
    assertThat(names.toString(), names, hasItem(containing("ReadFromKafkaViaUnbounded")));
    assertThat(names, not(hasItem(containing("ReadFromKafkaViaSDF"))));
  }

  @Test
  void sdfReadCountsEveryWindowExactlyOnce() throws Exception {
    // The SDF read polls for up to this many seconds per call (default 2), also when a partition
    // has nothing: shorter keeps idle partitions from stretching every batch. (Setting it at all
    // makes KafkaIO choose the SDF read, since the legacy reader has no such option.)
    List<String> names =
        runAndCheck(
            "sdf",
            WindowedCountPipeline.options("--experiments=use_sdf_read"),
            read -> read.withConsumerPollingTimeout(1));
    assertThat(names.toString(), names, hasItem(containing("ReadFromKafkaViaSDF")));
    assertThat(names, not(hasItem(containing("ReadFromKafkaViaUnbounded"))));
  }

  /** Runs the pipeline over fresh topics, checks its output, returns its transforms' names. */
  private static List<String> runAndCheck(
      String name,
      PipelineOptions options,
      UnaryOperator<KafkaIO.Read<String, String>> customize)
      throws Exception {
    String input = name + "-in";
    String output = name + "-out";
    kafka.createTopic(input, PARTITIONS);
    kafka.createTopic(output, 1);
    List<TimedRecord> records = records();
    TimedRecord.produce(kafka, input, records);
    List<String> expected = TimedRecord.expectedCounts(records, WINDOW_MILLIS);
    // 3 windows x 3 keys, and every record counted.
    assertThat(expected, hasSize(9));

    KafkaIO.Read<String, String> read =
        customize.apply(
            WindowedCountPipeline.read(kafka, input).withCreateTime(Duration.standardSeconds(2)));
    Pipeline pipeline =
        WindowedCountPipeline.create(
            options, read, Duration.millis(WINDOW_MILLIS), kafka, output);
    List<String> names = transformNames(pipeline);

    long started = System.currentTimeMillis();
    PipelineResult result = pipeline.run();
    try (OutputTopicWatcher watcher = new OutputTopicWatcher(kafka, output, 1)) {
      // Still running, so a duplicate could come in a later batch: settle, then read to the end.
      List<String> written =
          watcher.await(
              expected.size(), java.time.Duration.ofSeconds(40), java.time.Duration.ofSeconds(2));
      assertThat(result.getState(), equalTo(PipelineResult.State.RUNNING));
      assertThat(written, equalTo(expected));
      LOG.info(
          "{}: {} records in, {} window counts out; last one {} ms after run()",
          name,
          records.size(),
          written.size(),
          watcher.arrivals().stream()
                  .mapToLong(OutputTopicWatcher.Arrival::arrivedMillis)
                  .max()
                  .orElseThrow()
              - started);
    } finally {
      KafkaPipelines.stop(result);
    }
    return names;
  }

  static org.hamcrest.Matcher<String> containing(String part) {
    return org.hamcrest.Matchers.containsString(part);
  }

  static List<String> transformNames(Pipeline pipeline) {
    List<String> names = new ArrayList<>();
    pipeline.traverseTopologically(
        new Pipeline.PipelineVisitor.Defaults() {
          @Override
          public CompositeBehavior enterCompositeTransform(TransformHierarchy.Node node) {
            names.add(node.getFullName());
            return CompositeBehavior.ENTER_TRANSFORM;
          }

          @Override
          public void visitPrimitiveTransform(TransformHierarchy.Node node) {
            names.add(node.getFullName());
          }
        });
    return names;
  }
}
