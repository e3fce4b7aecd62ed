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
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.kafka.common.serialization.StringSerializer;
import org.joda.time.Duration;

/**
 * The throughput benchmark's pipeline: KafkaIO read of the fixed input (create times,
 * {@link EndOfInputTimestampPolicy}, so every window closes once the input is read and the legacy
 * read's job ends on its own), {@link ThroughputProbe}, fixed windows, count per key, and a plain
 * or exactly-once KafkaIO write of one {@code key -> windowStart=count} record per key and window.
 */
final class ThroughputPipeline {
  private static final Duration MAX_DELAY = Duration.millis(100);

  private ThroughputPipeline() {}

  static PipelineOptions options(ThroughputConfig config, String checkpointDir) {
    List<String> args = new ArrayList<>(List.of("--streaming=true"));
    if (config.direct()) {
      // As in the Nexmark comparison: two threads, the model checks off (its best figure).
      args.addAll(
          List.of(
              "--runner=DirectRunner",
              // run() must return, so the benchmark can time the output and cancel at a timeout.
              "--blockOnRun=false",
              "--targetParallelism=2",
              "--enforceImmutability=false",
              "--enforceEncodability=false"));
    } else {
      args.addAll(
          List.of(
              "--runner=MicroBatchRunner",
              "--parallelism=2",
              "--batchIntervalMillis=" + config.batchIntervalMillis(),
              "--maxRecordsPerBatch=" + config.maxRecordsPerBatch(),
              "--backpressure=" + config.backpressure()));
      if (config.checkpoints()) {
        args.add("--checkpointDir=" + checkpointDir);
      }
    }
    if (config.read().equals("sdf")) {
      args.add("--experiments=use_sdf_read");
    }
    return PipelineOptionsFactory.fromArgs(args.toArray(new String[0])).create();
  }

  static Pipeline create(
      PipelineOptions options,
      ThroughputConfig config,
      String bootstrapServers,
      String inputTopic,
      long recordsPerPartition,
      String outputTopic) {
    Pipeline pipeline = Pipeline.create(options);
    PCollection<KV<String, String>> formatted =
        pipeline
            .apply(
                "ReadKafka",
                WindowedCountPipeline.read(bootstrapServers, inputTopic)
                    .withTimestampPolicyFactory(
                        EndOfInputTimestampPolicy.factory(recordsPerPartition, MAX_DELAY))
                    .withoutMetadata())
            .apply("Probe", ParDo.of(new ThroughputProbe()))
            .apply("Window", Window.into(FixedWindows.of(
                Duration.millis(ThroughputInput.WINDOW_MILLIS))))
            .apply("CountPerKey", Count.perKey())
            .apply("Format", ParDo.of(new WindowedCountPipeline.FormatWindowCount()));
    KafkaIO.Write<String, String> write =
        KafkaIO.<String, String>write()
            .withBootstrapServers(bootstrapServers)
            .withTopic(outputTopic)
            .withKeySerializer(StringSerializer.class)
            .withValueSerializer(StringSerializer.class);
    if (config.write().equals("eos")) {
      formatted.apply(
          "WriteKafka", ExactlyOnceKafkaWrite.of(write, 4, "bench-sink-" + config.name()));
    } else {
      formatted.apply("WriteKafka", write);
    }
    return pipeline;
  }
}
