package io.microbatch.kafka;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.kafka.common.serialization.StringSerializer;
import org.joda.time.Duration;

/**
 * The exactly-once crash test's pipeline: KafkaIO read (legacy
 * path) of a topic with a fixed input, fixed event-time windows on the records' create times,
 * count per key, and an exactly-once KafkaIO write ({@link ExactlyOnceKafkaWrite}) of one {@code key ->
 * windowStart=count} record per key and window. The job ends on its own once every partition's
 * last record was read ({@link EndOfInputTimestampPolicy}).
 */
final class ExactlyOnceCountsPipeline {
  static final Duration WINDOW = Duration.millis(250);
  static final Duration MAX_DELAY = Duration.millis(100);
  static final int SHARDS = 4;

  private ExactlyOnceCountsPipeline() {}

  /** Streaming options on the MicroBatchRunner with the test's defaults, then {@code extra}. */
  static PipelineOptions options(List<String> extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--runner=MicroBatchRunner",
                "--streaming=true",
                "--parallelism=2",
                "--batchIntervalMillis=200",
                "--checkpointIntervalBatches=1"));
    args.addAll(extra);
    return PipelineOptionsFactory.fromArgs(args.toArray(new String[0])).create();
  }

  static Pipeline create(
      PipelineOptions options,
      String bootstrapServers,
      String inputTopic,
      long recordsPerPartition,
      String outputTopic,
      String sinkGroupId) {
    Pipeline pipeline = Pipeline.create(options);
    pipeline
        .apply(
            "ReadKafka",
            WindowedCountPipeline.read(bootstrapServers, inputTopic)
                .withTimestampPolicyFactory(
                    EndOfInputTimestampPolicy.factory(recordsPerPartition, MAX_DELAY))
                .withoutMetadata())
        .apply("Window", Window.into(FixedWindows.of(WINDOW)))
        .apply("CountPerKey", Count.perKey())
        .apply("Format", ParDo.of(new WindowedCountPipeline.FormatWindowCount()))
        .apply(
            "WriteKafka",
            ExactlyOnceKafkaWrite.of(
                KafkaIO.<String, String>write()
                    .withBootstrapServers(bootstrapServers)
                    .withTopic(outputTopic)
                    .withKeySerializer(StringSerializer.class)
                    .withValueSerializer(StringSerializer.class),
                SHARDS,
                sinkGroupId));
    return pipeline;
  }

  /**
   * The input: {@code perPartition} records in each of {@code partitions}, 5 ms apart in create
   * time per partition (from a fixed instant, so the expected counts never change), keys {@code
   * key-0} to {@code key-4}.
   */
  static List<TimedRecord> input(int partitions, int perPartition) {
    long base = 1_700_000_000_000L;
    List<TimedRecord> records = new ArrayList<>();
    for (int i = 0; i < perPartition; i++) {
      for (int p = 0; p < partitions; p++) {
        records.add(new TimedRecord(p, "key-" + (i + p) % 5, base + i * 5L + p));
      }
    }
    return records;
  }
}
