package io.microbatch.kafka;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.io.kafka.TimestampPolicy;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the per-partition watermarks of KafkaIO's (legacy) read do on the MicroBatchRunner: a hot
 * partition holds the watermark until it caught up, so nothing it still holds is dropped as late;
 * an idle partition holds it forever under a policy without idle handling, but not under {@code
 * withCreateTime(maxDelay)} (CustomTimestampPolicyWithLimitedDelay), whose idle partitions
 * advance to {@code backlogCheckTime - maxDelay}.
 */
class KafkaWatermarkTest {
  private static final int PARTITIONS = 4;
  private static final int IDLE_PARTITION = 3;

  private static final Logger LOG = LoggerFactory.getLogger(KafkaWatermarkTest.class);

  private static EmbeddedKafkaBroker kafka;

  @BeforeAll
  static void startBroker() {
    kafka = EmbeddedKafkaBroker.start();
  }

  @AfterAll
  static void stopBroker() {
    kafka.close();
  }

  @Test
  void aHotPartitionHoldsTheWatermarkUntilItCaughtUpSoNoRecordIsLate() throws Exception {
    long window = 10_000;
    String input = "skew-in";
    String output = "skew-out";
    kafka.createTopic(input, PARTITIONS);
    kafka.createTopic(output, 1);
    // Partition 0 has 100 times the records of the others over the same 30 s of event time; the
    // others are read in the first batch, partition 0 needs many (50 records per split and batch).
    long base = Math.floorDiv(System.currentTimeMillis(), window) * window - 60_000;
    List<TimedRecord> records = new ArrayList<>();
    String[] keys = {"hot", "warm", "cold"};
    for (int j = 0; j < 3000; j++) {
      records.add(new TimedRecord(0, keys[j % 3], base + j * 10L));
    }
    for (int p = 1; p < PARTITIONS; p++) {
      for (int j = 0; j < 30; j++) {
        records.add(new TimedRecord(p, keys[(j + p) % 3], base + j * 1000L + p));
      }
    }
    TimedRecord.produce(kafka, input, records);
    List<String> expected = TimedRecord.expectedCounts(records, window);
    assertThat(expected, hasSize(9));

    Pipeline pipeline =
        WindowedCountPipeline.create(
            WindowedCountPipeline.options("--maxRecordsPerBatch=100", "--backpressure=false"),
            WindowedCountPipeline.read(kafka, input).withCreateTime(Duration.standardSeconds(2)),
            Duration.millis(window),
            kafka,
            output);
    PipelineResult result = pipeline.run();
    try (OutputTopicWatcher watcher = new OutputTopicWatcher(kafka, output, 1)) {
      // Still running, so a duplicate could come in a later batch: settle, then read to the end.
      List<String> written =
          watcher.await(
              expected.size(), java.time.Duration.ofSeconds(45), java.time.Duration.ofSeconds(2));
      // Had the idle partitions let the watermark pass the windows while partition 0 was still
      // being read, its remaining records would have been dropped as late and counts be short.
      assertThat(written, equalTo(expected));
      DistributionResult slices = recordsPerSplitAndBatch(result);
      assertThat(slices.getSum(), equalTo((long) records.size()));
      assertThat(slices.getMax(), lessThanOrEqualTo(50L));
      assertThat(slices.getCount(), greaterThanOrEqualTo(30L));
    } finally {
      KafkaPipelines.stop(result);
    }
  }

  @Test
  void withCreateTimeMaxDelayWindowsCloseWhileOnePartitionIsIdle() throws Exception {
    String input = "idle-in";
    String output = "idle-out";
    kafka.createTopic(input, PARTITIONS);
    kafka.createTopic(output, 1);
    long window = 2_000;
    Pipeline pipeline =
        WindowedCountPipeline.create(
            WindowedCountPipeline.options(),
            WindowedCountPipeline.read(kafka, input).withCreateTime(Duration.standardSeconds(1)),
            Duration.millis(window),
            kafka,
            output);
    PipelineResult result = pipeline.run();
    try (OutputTopicWatcher watcher = new OutputTopicWatcher(kafka, output, 1);
        LiveProducer producer =
            new LiveProducer(kafka, input, PARTITIONS, IDLE_PARTITION, 1_500, 12_000, 50)) {
      List<TimedRecord> sent = producer.await();
      long productionEnd = System.currentTimeMillis();
      long idleSince = lastTimestamp(sent, IDLE_PARTITION);

      // While partitions 0-2 still received records, windows entirely after the idle
      // partition's last record fired: the idle partition did not hold the watermark.
      List<OutputTopicWatcher.Arrival> whileIdle =
          watcher.arrivals().stream()
              .filter(a -> a.arrivedMillis() < productionEnd && windowStart(a) > idleSince)
              .toList();
      assertThat(whileIdle, not(empty()));
      LOG.info(
          "Idle partition since {}: {} window counts fired during production, {} ms to {} ms after"
              + " their window's end",
          new Instant(idleSince),
          whileIdle.size(),
          whileIdle.stream().mapToLong(a -> a.arrivedMillis() - windowStart(a) - window).min()
              .orElseThrow(),
          whileIdle.stream().mapToLong(a -> a.arrivedMillis() - windowStart(a) - window).max()
              .orElseThrow());
      // At least one whole window (3 keys); typically 3-4 windows fire in the 10 s. Kept low so
      // a loaded machine's slower batches do not fail the test.
      assertThat(
          "windows fired during production after the idle partition's last record",
          whileIdle.stream().map(OutputTopicWatcher.Arrival::record).distinct().count(),
          greaterThanOrEqualTo(3L));

      // Once production stopped every partition is idle and every window closes, exactly.
      List<String> expected = TimedRecord.expectedCounts(sent, window);
      // Still running, so a duplicate could come in a later batch: settle, then read to the end.
      List<String> written =
          watcher.await(
              expected.size(), java.time.Duration.ofSeconds(20), java.time.Duration.ofSeconds(2));
      assertThat(written, equalTo(expected));
    } finally {
      KafkaPipelines.stop(result);
    }
  }

  @Test
  void withoutIdleHandlingAnIdlePartitionHoldsTheWatermarkUntilItReceivesAgain()
      throws Exception {
    String input = "held-in";
    String output = "held-out";
    kafka.createTopic(input, PARTITIONS);
    kafka.createTopic(output, 1);
    long window = 2_000;
    Pipeline pipeline =
        WindowedCountPipeline.create(
            WindowedCountPipeline.options(),
            WindowedCountPipeline.read(kafka, input)
                .withTimestampPolicyFactory(
                    (partition, previous) -> new LastRecordTimestampPolicy(previous)),
            Duration.millis(window),
            kafka,
            output);
    PipelineResult result = pipeline.run();
    try (OutputTopicWatcher watcher = new OutputTopicWatcher(kafka, output, 1)) {
      long idleSince;
      try (LiveProducer producer =
          new LiveProducer(kafka, input, PARTITIONS, IDLE_PARTITION, 1_500, 8_000, 50)) {
        idleSince = lastTimestamp(producer.await(), IDLE_PARTITION);
      }
      // 6.5 s of records on partitions 0-2 after the idle partition's last one, and no window
      // after that record fired: the idle partition's watermark holds them all.
      assertThat(
          watcher.arrivals().stream().filter(a -> windowStart(a) > idleSince).toList(), empty());

      // One record on the idle partition, and the held windows fire.
      long now = System.currentTimeMillis();
      TimedRecord.produce(kafka, input, List.of(new TimedRecord(IDLE_PARTITION, "a", now)));
      long deadline = System.currentTimeMillis() + 20_000;
      List<OutputTopicWatcher.Arrival> released = List.of();
      while (released.isEmpty() && System.currentTimeMillis() < deadline) {
        Thread.sleep(100);
        released =
            watcher.arrivals().stream().filter(a -> windowStart(a) > idleSince).toList();
      }
      assertThat(released, not(empty()));
      LOG.info(
          "Held windows fired {} ms after the idle partition received a record again",
          released.get(0).arrivedMillis() - now);
      assertThat(released.stream().map(OutputTopicWatcher::windowStartOf).toList(),
          everyItem(greaterThan(idleSince - window)));
    } finally {
      KafkaPipelines.stop(result);
    }
  }

  /**
   * Record create time as event time, and each partition's watermark at its last record's
   * timestamp, whatever the backlog: an idle partition never advances.
   */
  static final class LastRecordTimestampPolicy extends TimestampPolicy<String, String> {
    private Instant last;

    LastRecordTimestampPolicy(Optional<Instant> previous) {
      last = previous.orElse(BoundedWindow.TIMESTAMP_MIN_VALUE);
    }

    @Override
    public Instant getTimestampForRecord(PartitionContext ctx, KafkaRecord<String, String> record) {
      last = new Instant(record.getTimestamp());
      return last;
    }

    @Override
    public Instant getWatermark(PartitionContext ctx) {
      return last;
    }
  }

  private static long lastTimestamp(List<TimedRecord> sent, int partition) {
    return sent.stream()
        .filter(r -> r.partition() == partition)
        .mapToLong(TimedRecord::timestamp)
        .max()
        .orElseThrow();
  }

  private static long windowStart(OutputTopicWatcher.Arrival arrival) {
    return OutputTopicWatcher.windowStartOf(arrival);
  }

  private static DistributionResult recordsPerSplitAndBatch(PipelineResult result) {
    return result
        .metrics()
        .queryMetrics(
            MetricsFilter.builder()
                .addNameFilter(
                    MetricNameFilter.named("microbatch.source", "recordsReadPerSplitAndBatch"))
                .build())
        .getDistributions()
        .iterator()
        .next()
        .getCommitted();
  }
}
