package io.microbatch.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.joda.time.Duration;

/**
 * The pipeline most tests run: KafkaIO read of string records, fixed event-time windows on the
 * timestamps the read assigned, count per key, and KafkaIO write of one {@code key ->
 * windowStart=count} record per key and window.
 */
final class WindowedCountPipeline {
  private WindowedCountPipeline() {}

  /** Streaming options on the MicroBatchRunner, plus {@code extra}. */
  static PipelineOptions options(String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--runner=MicroBatchRunner",
                "--streaming=true",
                "--batchIntervalMillis=200",
                "--parallelism=2"));
    args.addAll(List.of(extra));
    return PipelineOptionsFactory.fromArgs(args.toArray(new String[0])).create();
  }

  /** A read of {@code topic} from its earliest offsets, without any timestamp policy yet. */
  static KafkaIO.Read<String, String> read(EmbeddedKafkaBroker kafka, String topic) {
    return read(kafka.bootstrapServers(), topic);
  }

  /** The same, by address: for jobs in a child JVM that only know the broker's address. */
  static KafkaIO.Read<String, String> read(String bootstrapServers, String topic) {
    return KafkaIO.<String, String>read()
        .withBootstrapServers(bootstrapServers)
        .withTopic(topic)
        .withKeyDeserializer(StringDeserializer.class)
        .withValueDeserializer(StringDeserializer.class)
        .withConsumerConfigUpdates(
            Map.of(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"));
  }

  /** read -> fixed windows of {@code window} -> count per key -> write to {@code outputTopic}. */
  static Pipeline create(
      PipelineOptions options,
      KafkaIO.Read<String, String> read,
      Duration window,
      EmbeddedKafkaBroker kafka,
      String outputTopic) {
    Pipeline pipeline = Pipeline.create(options);
    pipeline
        .apply("ReadKafka", read.withoutMetadata())
        .apply("Window", Window.into(FixedWindows.of(window)))
        .apply("CountPerKey", Count.perKey())
        .apply("Format", ParDo.of(new FormatWindowCount()))
        .apply(
            "WriteKafka",
            KafkaIO.<String, String>write()
                .withBootstrapServers(kafka.bootstrapServers())
                .withTopic(outputTopic)
                .withKeySerializer(StringSerializer.class)
                .withValueSerializer(StringSerializer.class));
    return pipeline;
  }

  /** {@code (key, count)} in a window becomes {@code (key, "<window start millis>=<count>")}. */
  static final class FormatWindowCount extends DoFn<KV<String, Long>, KV<String, String>> {
    @ProcessElement
    public void process(
        @Element KV<String, Long> count, BoundedWindow window, OutputReceiver<KV<String, String>> out) {
      long start = ((IntervalWindow) window).start().getMillis();
      out.output(KV.of(count.getKey(), start + "=" + count.getValue()));
    }
  }
}
