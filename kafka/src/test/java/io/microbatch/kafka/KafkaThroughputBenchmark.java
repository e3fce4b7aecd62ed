package io.microbatch.kafka;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.beam.sdk.PipelineResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records per second through KafkaIO read, fixed windows, count per key and KafkaIO write
 * ({@link ThroughputPipeline}), against {@link EmbeddedKafkaBroker} in this JVM. The input is
 * produced once ({@link ThroughputInput}); each configuration ({@link ThroughputConfig}) then reads
 * all of it from the earliest offsets and writes to its own output topic. A run is timed from its
 * first record ({@link ThroughputProbe}, so the pipeline's start-up is left out and reported apart)
 * until the last expected window count is visible to a {@code read_committed} consumer of the
 * output topic. One JSON line per configuration goes to stdout.
 *
 * <p>Arguments: {@code [total records=1000000] [configs, comma-separated] [timeout seconds=240]
 * [Direct runner timeout seconds=60]}; run it through the {@code kafka-benchmark} profile, see
 * {@code docs/benchmarks.md}. A run that times out reports the records it consumed so far, with
 * {@code "complete":false}.
 */
public final class KafkaThroughputBenchmark {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaThroughputBenchmark.class);
  private static final int PARTITIONS = 4;
  // The checkpointed 100 ms configurations run without backpressure: with it, a checkpoint per
  // batch that takes longer than the interval drives the intake down to a few hundred records per
  // second (docs/benchmarks.md).
  private static final String DEFAULT_CONFIGS =
      "microbatch:legacy:plain:1000:100000,microbatch:legacy:plain:1000:1000000,"
          + "microbatch:legacy:plain:100:100000,microbatch:legacy:plain:100:1000000,"
          + "microbatch:legacy:eos:1000:100000,microbatch:legacy:eos:1000:1000000,"
          + "microbatch:legacy:eos:100:100000:nobp,microbatch:legacy:eos:100:1000000:nobp,"
          + "microbatch:sdf:plain:1000:100000,microbatch:sdf:plain:100:1000000,"
          + "direct:legacy:plain";

  private KafkaThroughputBenchmark() {}

  public static void main(String[] argv) throws Exception {
    // The Maven profile passes an empty string when no arguments were given.
    String[] args = Stream.of(argv).filter(a -> !a.isBlank()).toArray(String[]::new);
    int total = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    List<ThroughputConfig> configs =
        ThroughputConfig.parseAll(args.length > 1 ? args[1] : DEFAULT_CONFIGS);
    Duration timeout = Duration.ofSeconds(args.length > 2 ? Long.parseLong(args[2]) : 240);
    Duration directTimeout = Duration.ofSeconds(args.length > 3 ? Long.parseLong(args[3]) : 60);
    int perPartition = total / PARTITIONS;
    try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start()) {
      ThroughputRun runs = new ThroughputRun(kafka, PARTITIONS);
      kafka.createTopic("warmup-in", PARTITIONS);
      int warmUpResults = ThroughputInput.produce(kafka, "warmup-in", PARTITIONS, 25_000);
      // JIT and class loading out of the first measured configuration's figure.
      ThroughputRun.Result w =
          runs.run(
              ThroughputConfig.parse("microbatch:legacy:plain:1000:100000"),
              "warmup-in", 25_000, warmUpResults, "warmup", timeout);
      LOG.info("Warm-up: {}", w.json());

      kafka.createTopic("bench-in", PARTITIONS);
      long produceStart = System.nanoTime();
      int expected = ThroughputInput.produce(kafka, "bench-in", PARTITIONS, perPartition);
      LOG.info(
          "Produced {} records ({} per partition) in {} ms; {} window counts expected",
          (long) perPartition * PARTITIONS,
          perPartition,
          (System.nanoTime() - produceStart) / 1_000_000,
          expected);
      for (ThroughputConfig config : configs) {
        ThroughputRun.Result result =
            runs.run(
                config, "bench-in", perPartition, expected, config.name(),
                config.direct() ? directTimeout : timeout);
        System.out.println(result.json());
        System.out.flush();
      }
    }
    // KafkaIO's and the broker's non-daemon threads may linger after the broker closed.
    System.exit(0);
  }

  /** The load average over the last minute, from {@code /proc/loadavg} (-1 where there is none). */
  static double loadAverage() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  static void deleteRecursively(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  static String format(String pattern, Object... args) {
    return String.format(Locale.ROOT, pattern, args);
  }

  static boolean terminal(PipelineResult result) {
    return result.getState().isTerminal();
  }
}
