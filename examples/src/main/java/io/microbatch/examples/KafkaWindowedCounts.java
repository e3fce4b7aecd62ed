package io.microbatch.examples;

import io.microbatch.kafka.EmbeddedKafkaBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.options.StreamingOptions;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka in, Kafka out, on the MicroBatchRunner in streaming mode: reads events (key = event kind,
 * Kafka create timestamp = event time) with KafkaIO, counts them per kind in fixed event-time
 * windows, logs every count and writes it with KafkaIO to an output topic as {@code kind ->
 * windowStart/windowEnd=count}.
 *
 * <p>By default it starts an in-process Kafka broker ({@link EmbeddedKafkaBroker}), creates the
 * topics and produces sample events into the input topic. With {@code --bootstrapServers} it uses
 * that cluster instead, whose topics must exist; {@code --produceSampleEvents=false} then reads
 * only what is already there. Runs until stopped (Ctrl-C), or for {@code --maxRunSeconds}.
 */
public final class KafkaWindowedCounts {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaWindowedCounts.class);

  /** Options of the example. */
  public interface Options extends StreamingOptions {
    @Description(
        "Kafka bootstrap servers (host:port,...). Empty (the default) starts an in-process broker "
            + "on 127.0.0.1 and creates the topics there.")
    @Default.String("")
    String getBootstrapServers();

    void setBootstrapServers(String value);

    @Description("Topic the events are read from.")
    @Default.String("events")
    String getInputTopic();

    void setInputTopic(String value);

    @Description("Topic the window counts are written to.")
    @Default.String("event-counts")
    String getOutputTopic();

    void setOutputTopic(String value);

    @Description("Partitions of the input topic when the in-process broker creates it.")
    @Default.Integer(4)
    int getPartitions();

    void setPartitions(int value);

    @Description("Whether to produce sample events into the input topic while the pipeline runs.")
    @Default.Boolean(true)
    boolean getProduceSampleEvents();

    void setProduceSampleEvents(boolean value);

    @Description("Sample events produced per second.")
    @Default.Long(100)
    long getEventsPerSecond();

    void setEventsPerSecond(long value);

    @Description("Length of the fixed event-time windows, in seconds.")
    @Default.Long(5)
    long getWindowSeconds();

    void setWindowSeconds(long value);

    @Description(
        "Most an event's timestamp may lag the newest one in its partition, in seconds: the "
            + "watermark trails by this much (KafkaIO withCreateTime); an idle partition advances "
            + "to the wall clock minus this.")
    @Default.Long(2)
    long getMaxDelaySeconds();

    void setMaxDelaySeconds(long value);

    @Description("Stop (cancel) after this many seconds; 0 runs until the process is stopped.")
    @Default.Long(0)
    long getMaxRunSeconds();

    void setMaxRunSeconds(long value);
  }

  /** How a run ended: the pipeline's result and the count records found in the output topic. */
  public record Outcome(PipelineResult result, long countRecordsWritten) {}

  /** Logs each window's count, and counts them in the metric {@code windowCounts}. */
  static final class LogAndFormat extends DoFn<KV<String, Long>, KV<String, String>> {
    @ProcessElement
    public void process(
        @Element KV<String, Long> count, BoundedWindow window, OutputReceiver<KV<String, String>> out) {
      IntervalWindow w = (IntervalWindow) window;
      Metrics.counter(KafkaWindowedCounts.class, "windowCounts").inc();
      LOG.info("window {} .. {}: {} = {}", w.start(), w.end(), count.getKey(), count.getValue());
      out.output(
          KV.of(count.getKey(), w.start().getMillis() + "/" + w.end().getMillis() + "=" + count.getValue()));
    }
  }

  /** Builds the pipeline: KafkaIO read, fixed windows, count per kind, log, KafkaIO write. */
  public static Pipeline create(Options options, String bootstrapServers) {
    Pipeline pipeline = Pipeline.create(options);
    pipeline
        .apply(
            "ReadEvents",
            KafkaIO.<String, String>read()
                .withBootstrapServers(bootstrapServers)
                .withTopic(options.getInputTopic())
                .withKeyDeserializer(StringDeserializer.class)
                .withValueDeserializer(StringDeserializer.class)
                .withConsumerConfigUpdates(Map.of(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"))
                // Event time = the record's create timestamp; idle partitions do not hold the
                // watermark (they advance to wall clock minus maxDelay).
                .withCreateTime(org.joda.time.Duration.standardSeconds(options.getMaxDelaySeconds()))
                .withoutMetadata())
        .apply(
            "Window",
            Window.into(
                FixedWindows.of(org.joda.time.Duration.standardSeconds(options.getWindowSeconds()))))
        .apply("CountPerKind", Count.perKey())
        .apply("LogAndFormat", ParDo.of(new LogAndFormat()))
        .apply(
            "WriteCounts",
            KafkaIO.<String, String>write()
                .withBootstrapServers(bootstrapServers)
                .withTopic(options.getOutputTopic())
                .withKeySerializer(StringSerializer.class)
                .withValueSerializer(StringSerializer.class));
    return pipeline;
  }

  /**
   * Runs the example: after {@code --maxRunSeconds} the pipeline is cancelled and the output topic
   * counted; without it, runs until the process is stopped.
   */
  public static Outcome run(String[] args) throws Exception {
    List<String> all = new ArrayList<>(Arrays.asList(args));
    if (all.stream().noneMatch(a -> a.startsWith("--runner="))) {
      all.add("--runner=MicroBatchRunner");
    }
    if (all.stream().noneMatch(a -> a.startsWith("--streaming"))) {
      all.add("--streaming=true");
    }
    Options options =
        PipelineOptionsFactory.fromArgs(all.toArray(new String[0])).withValidation().as(Options.class);
    EmbeddedKafkaBroker broker = null;
    try {
      String servers = options.getBootstrapServers();
      if (servers.isEmpty()) {
        broker = EmbeddedKafkaBroker.start();
        broker.createTopic(options.getInputTopic(), options.getPartitions());
        broker.createTopic(options.getOutputTopic(), 1);
        servers = broker.bootstrapServers();
      }
      SampleEventProducer producer =
          options.getProduceSampleEvents()
              ? new SampleEventProducer(
                  servers,
                  options.getInputTopic(),
                  options.getEventsPerSecond(),
                  options.getMaxDelaySeconds() * 1000 / 2)
              : null;
      PipelineResult result = create(options, servers).run();
      try {
        if (options.getMaxRunSeconds() > 0) {
          PipelineResult.State state =
              result.waitUntilFinish(org.joda.time.Duration.standardSeconds(options.getMaxRunSeconds()));
          if (state == null) {
            LOG.info("Stopping after {} s", options.getMaxRunSeconds());
            result.cancel();
          }
        } else {
          result.waitUntilFinish();
        }
      } finally {
        if (producer != null) {
          producer.close();
        }
      }
      long written = countRecords(servers, options.getOutputTopic());
      LOG.info("{} window counts in topic {}", written, options.getOutputTopic());
      return new Outcome(result, written);
    } finally {
      if (broker != null) {
        broker.close();
      }
    }
  }

  /** Reads the whole topic once (from the beginning to its current end) and counts its records. */
  private static long countRecords(String servers, String topic) {
    Properties config = new Properties();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
      Set<TopicPartition> partitions =
          IntStream.range(0, consumer.partitionsFor(topic).size())
              .mapToObj(p -> new TopicPartition(topic, p))
              .collect(Collectors.toSet());
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long count = 0;
      long deadline = System.currentTimeMillis() + 10_000;
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
          && System.currentTimeMillis() < deadline) {
        count += consumer.poll(Duration.ofMillis(200)).count();
      }
      return count;
    }
  }

  public static void main(String[] args) throws Exception {
    run(args);
  }
}
