package io.microbatch.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One configuration of {@link KafkaThroughputBenchmark}, written {@code
 * runner:read:write[:batchIntervalMillis:maxRecordsPerBatch[:flags]]}, flags joined by
 * {@code +}, e.g. {@code microbatch:legacy:eos:100:1000000} or {@code
 * microbatch:legacy:plain:100:1000000:ckpt+nobp} or {@code direct:legacy:plain}.
 *
 * @param runner {@code microbatch} or {@code direct}
 * @param read {@code legacy} (KafkaIO's UnboundedSource) or {@code sdf} ({@code use_sdf_read})
 * @param write {@code plain} (KafkaIO.write) or {@code eos} ({@link ExactlyOnceKafkaWrite})
 * @param batchIntervalMillis MicroBatch's batch interval; ignored on Direct
 * @param maxRecordsPerBatch MicroBatch's intake cap per batch; ignored on Direct
 * @param checkpoints whether the job runs with a {@code --checkpointDir} (always for {@code eos},
 *     which is only exactly once across restarts with one): flag {@code ckpt}
 * @param backpressure MicroBatch's {@code --backpressure} (default on; flag {@code nobp} turns it
 *     off)
 */
record ThroughputConfig(
    String runner,
    String read,
    String write,
    int batchIntervalMillis,
    int maxRecordsPerBatch,
    boolean checkpoints,
    boolean backpressure) {

  static ThroughputConfig parse(String spec) {
    String[] f = spec.trim().toLowerCase(Locale.ROOT).split(":");
    if (f.length < 3 || !List.of("microbatch", "direct").contains(f[0])
        || !List.of("legacy", "sdf").contains(f[1]) || !List.of("plain", "eos").contains(f[2])) {
      throw new IllegalArgumentException(
          "Expected runner:read:write[:intervalMillis:maxRecordsPerBatch[:flags]], got " + spec);
    }
    if (f[0].equals("direct") && !f[2].equals("plain")) {
      // ExactlyOnceKafkaWrite needs the MicroBatch runner's post-commit finalization.
      throw new IllegalArgumentException("The Direct runner runs the plain write only: " + spec);
    }
    int interval = f.length > 3 ? Integer.parseInt(f[3]) : 1000;
    int maxRecords = f.length > 4 ? Integer.parseInt(f[4]) : 100_000;
    List<String> flags = f.length > 5 ? List.of(f[5].split("\\+")) : List.of();
    if (!List.of("ckpt", "nobp").containsAll(flags)) {
      throw new IllegalArgumentException("Flags are ckpt and nobp, got " + spec);
    }
    boolean ckpt = f[2].equals("eos") || flags.contains("ckpt");
    return new ThroughputConfig(
        f[0], f[1], f[2], interval, maxRecords, ckpt, !flags.contains("nobp"));
  }

  static List<ThroughputConfig> parseAll(String specs) {
    List<ThroughputConfig> configs = new ArrayList<>();
    for (String spec : specs.split(",")) {
      if (!spec.isBlank()) {
        configs.add(parse(spec));
      }
    }
    return configs;
  }

  boolean direct() {
    return runner.equals("direct");
  }

  /** A short name for logs and topic names, e.g. {@code microbatch-legacy-eos-100-1000000}. */
  String name() {
    return direct()
        ? runner + "-" + read + "-" + write
        : runner + "-" + read + "-" + write + "-" + batchIntervalMillis + "-" + maxRecordsPerBatch
            + (checkpoints && !write.equals("eos") ? "-ckpt" : "")
            + (backpressure ? "" : "-nobp");
  }
}
