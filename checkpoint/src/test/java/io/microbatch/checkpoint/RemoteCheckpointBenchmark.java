package io.microbatch.checkpoint;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.StorageStatistics;
import org.apache.hadoop.hdfs.MiniDFSCluster;

/**
 * Where a snapshot publish and a log write spend their time on {@code hdfs://} (MiniDFSCluster)
 * and {@code s3a://} (in-process s3proxy). For each target and size a RocksDB state is snapshotted
 * once and published in full several times, each into a new checkpoint directory; then offsets and
 * commit entries of a run of batches are written. It prints the median publish and log-write times,
 * the file-system calls per publish with their summed time ({@link TimedFileSystem}), and the
 * requests the file system's own statistics counted (NameNode RPCs, S3 requests).
 *
 * <p>Run with {@code -Dbench.args="[targets] [publishes] [log batches] [upload threads]"}
 * (default {@code hdfs,s3a 5 20 8}) through the {@code checkpoint-remote-benchmark} profile; see {@code docs/benchmarks.md}.
 */
public final class RemoteCheckpointBenchmark {
  private static final JobFingerprint JOB =
      JobFingerprint.builder().step("Count", "KeyedStep", "StringUtf8Coder").build();

  /** A state shape: partitions, keys per partition, value length. */
  private record Shape(String name, int partitions, int keys, int valueLength) {}

  private static final List<Shape> SHAPES = List.of(
      new Shape("small", 6, 200, 20),
      new Shape("large", 4, 60_000, 100));

  private static int uploadThreads;

  private RemoteCheckpointBenchmark() {}

  public static void main(String[] args) throws Exception {
    String targets = args.length > 0 ? args[0] : "hdfs,s3a";
    int publishes = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int logBatches = args.length > 2 ? Integer.parseInt(args[2]) : 20;
    uploadThreads = args.length > 3 ? Integer.parseInt(args[3]) : ParallelUploads.DEFAULT_THREADS;
    Path work = Files.createTempDirectory("remote-checkpoint-bench-");
    try {
      for (String target : targets.split(",")) {
        switch (target.trim()) {
          case "hdfs" -> runHdfs(work.resolve("hdfs"), publishes, logBatches);
          case "s3a" -> runS3a(work.resolve("s3a"), publishes, logBatches);
          default -> throw new IllegalArgumentException("Unknown target " + target);
        }
      }
    } finally {
      deleteRecursively(work);
    }
  }

  private static void runHdfs(Path work, int publishes, int logBatches) throws Exception {
    MiniDFSCluster cluster = MiniHdfs.start(work.resolve("cluster"));
    try {
      Configuration conf = cluster.getConfiguration(0);
      run("hdfs", cluster.getURI() + "/bench", conf, work, publishes, logBatches);
    } finally {
      cluster.shutdown(true);
    }
  }

  private static void runS3a(Path work, int publishes, int logBatches) throws Exception {
    try (LocalS3 s3 = LocalS3.start("bench")) {
      run("s3a", "s3a://bench/jobs", s3.hadoopConf(), work, publishes, logBatches);
    }
  }

  private static void run(String target, String base, Configuration conf, Path work,
      int publishes, int logBatches) throws IOException {
    // The file system as CheckpointDirectory.open would set it up, wrapped to time each call.
    FileSystem raw = FileSystem.newInstance(URI.create(base),
        CheckpointFileSystems.tuned(URI.create(base), conf));
    TimedFileSystem fs = new TimedFileSystem(raw);
    int dirs = 0;
    for (Shape shape : SHAPES) {
      try (RocksState state = RocksState.fresh(work.resolve(shape.name() + "-state"))) {
        java.util.SplittableRandom random = new java.util.SplittableRandom(shape.keys());
        for (int p = 0; p < shape.partitions(); p++) {
          state.put(p, 0, shape.keys(), k -> randomText(random, shape.valueLength()));
        }
        Map<String, Path> snapshot = state.snapshot(work.resolve(shape.name() + "-snapshot"));
        // One untimed publish warms up connections, class loading and JIT.
        open(fs, base + "/warmup-" + shape.name()).publishSnapshot(1, snapshot);
        List<CheckpointDirectory> targets = new ArrayList<>();
        for (int i = 0; i < publishes; i++) {
          targets.add(open(fs, base + "/" + shape.name() + "-" + dirs++));
        }
        fs.reset();
        Map<String, Long> before = counters(raw);
        List<Long> millis = new ArrayList<>();
        PublishResult last = null;
        for (CheckpointDirectory dir : targets) {
          long started = System.nanoTime();
          last = dir.publishSnapshot(1, snapshot);
          millis.add((System.nanoTime() - started) / 1_000_000);
        }
        System.out.printf(Locale.ROOT, "%n%s %s: %d files, %.1f MiB; publish median %d ms "
                + "(all: %s)%n", target, shape.name(), last.filesUploaded(),
            last.bytesUploaded() / (1024.0 * 1024), median(millis), millis);
        printCalls(fs, publishes);
        printCounters(before, counters(raw), publishes);
      }
    }
    logWrites(target, fs, raw, base, logBatches);
    raw.close();
  }

  private static void logWrites(String target, TimedFileSystem fs, FileSystem raw, String base,
      int batches) throws IOException {
    CheckpointDirectory dir = open(fs, base + "/log");
    fs.reset();
    Map<String, Long> before = counters(raw);
    List<Long> offsets = new ArrayList<>();
    List<Long> commits = new ArrayList<>();
    byte[] payload = new byte[200];
    for (int b = 0; b < batches; b++) {
      long started = System.nanoTime();
      dir.log().writeOffsets(b, payload);
      long logged = System.nanoTime();
      dir.log().writeCommit(b, payload);
      offsets.add((logged - started) / 1_000_000);
      commits.add((System.nanoTime() - logged) / 1_000_000);
    }
    System.out.printf(Locale.ROOT, "%n%s log: writeOffsets median %d ms (all: %s), writeCommit "
        + "median %d ms (all: %s)%n", target, median(offsets), offsets, median(commits), commits);
    printCalls(fs, batches);
    printCounters(before, counters(raw), batches);
  }

  private static CheckpointDirectory open(FileSystem fs, String uri) throws IOException {
    CheckpointDirectory dir = CheckpointDirectory.on(URI.create(uri), fs, 3, uploadThreads);
    dir.bind(JOB);
    return dir;
  }

  private static void printCalls(TimedFileSystem fs, int per) {
    StringBuilder line = new StringBuilder("  calls per publish/batch (count, summed ms):");
    fs.snapshot().forEach((op, v) -> line.append(String.format(Locale.ROOT, " %s %.1f x %.1f ms;",
        op, v[0] / (double) per, v[1] / 1e6 / per)));
    System.out.println(line);
  }

  private static Map<String, Long> counters(FileSystem fs) {
    Map<String, Long> result = new HashMap<>();
    StorageStatistics statistics = fs.getStorageStatistics();
    for (Iterator<StorageStatistics.LongStatistic> it = statistics.getLongStatistics();
        it.hasNext(); ) {
      StorageStatistics.LongStatistic s = it.next();
      result.put(s.getName(), s.getValue());
    }
    return result;
  }

  private static void printCounters(Map<String, Long> before, Map<String, Long> after, int per) {
    StringBuilder line = new StringBuilder("  requests per publish/batch:");
    new java.util.TreeMap<>(after).forEach((name, value) -> {
      long delta = value - before.getOrDefault(name, 0L);
      if (delta > 0 && !name.contains("bytes") && !name.contains("duration")
          && !name.endsWith(".failures") && !name.contains("_max") && !name.contains("_min")
          && !name.contains("_mean")) {
        line.append(String.format(Locale.ROOT, " %s %.1f;", name, delta / (double) per));
      }
    });
    System.out.println(line);
  }

  private static long median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    sorted.sort(null);
    return sorted.get(sorted.size() / 2);
  }

  private static String randomText(java.util.SplittableRandom random, int length) {
    char[] chars = new char[length];
    for (int i = 0; i < length; i++) {
      chars[i] = (char) ('!' + random.nextInt(94));
    }
    return new String(chars);
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
