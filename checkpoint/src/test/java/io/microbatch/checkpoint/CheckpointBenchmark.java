package io.microbatch.checkpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checkpoint cost against state size: for each size, two RocksDB partitions of that many keys
 * (100-character random values, so LZ4 cannot shrink them much) are snapshotted and published in full; then 1% of the keys change and the
 * next snapshot is published incrementally (against the first) and, for comparison, in full to an
 * empty directory; finally the newest snapshot is restored into an empty directory and the
 * partitions reopened. Run with {@code -Dbench.args="<keys,keys,...> [checkpoint base URI]"}
 * (default {@code 100000,1000000,3000000} on a local temporary directory); see {@code
 * docs/benchmarks.md}.
 */
public final class CheckpointBenchmark {
  private static final Logger LOG = LoggerFactory.getLogger(CheckpointBenchmark.class);
  private static final int PARTITIONS = 2;
  private static final JobFingerprint JOB =
      JobFingerprint.builder().step("Count", "KeyedStep", "StringUtf8Coder").build();

  private CheckpointBenchmark() {}

  public static void main(String[] args) throws Exception {
    String sizes = args.length > 0 ? args[0] : "100000,1000000,3000000";
    Path work = Files.createTempDirectory("checkpoint-bench-");
    String base = args.length > 1 ? args[1] : work.resolve("checkpoints").toUri().toString();
    System.out.println("| keys (2 partitions) | state files | full publish | incremental publish "
        + "(1% keys changed) | full publish of the same state | restore + reopen |");
    System.out.println("|---|---|---|---|---|---|");
    try {
      for (String size : sizes.split(",")) {
        run(Integer.parseInt(size.trim()), base, work.resolve("k" + size.trim()));
      }
    } finally {
      deleteRecursively(work);
    }
  }

  private static void run(int keys, String base, Path work) throws IOException {
    Configuration conf = new Configuration();
    CheckpointDirectory incremental =
        CheckpointDirectory.open(base + "/inc-" + keys, conf, 3);
    incremental.bind(JOB);
    CheckpointDirectory fresh = CheckpointDirectory.open(base + "/full-" + keys, conf, 3);
    fresh.bind(JOB);
    java.util.SplittableRandom random = new java.util.SplittableRandom(keys);
    java.util.function.IntFunction<String> value = k -> randomText(random, 100);
    PublishResult first;
    PublishResult second;
    PublishResult full;
    try (RocksState state = RocksState.fresh(work.resolve("state"))) {
      for (int p = 0; p < PARTITIONS; p++) {
        for (int from = 0; from < keys / PARTITIONS; from += 50_000) {
          state.put(p, from, Math.min(keys / PARTITIONS, from + 50_000), value);
        }
      }
      first = incremental.publishSnapshot(1, state.snapshot(work.resolve("s1")));
      int changed = Math.max(1, keys / 100 / PARTITIONS);
      for (int p = 0; p < PARTITIONS; p++) {
        state.put(p, 0, changed, k -> "changed-" + k);
      }
      Map<String, Path> s2 = state.snapshot(work.resolve("s2"));
      second = incremental.publishSnapshot(2, s2);
      full = fresh.publishSnapshot(2, s2);
    }
    long started = System.nanoTime();
    RestoredSnapshot restored =
        incremental.snapshots().restoreLatest(work.resolve("restore")).orElseThrow();
    try (RocksState reopened = RocksState.restored(work.resolve("state-2"), work.resolve("restore"))) {
      for (int p = 0; p < PARTITIONS; p++) {
        if (!("changed-0").equals(reopened.get(p, 0))) {
          throw new IllegalStateException("restored state differs");
        }
      }
      long restoreMillis = (System.nanoTime() - started) / 1_000_000;
      System.out.printf(Locale.ROOT,
          "| %,d | %d files, %s | %d ms, %s | %d ms, %s (%d files), %d files reused | %d ms, %s |"
              + " %d ms, %s |%n",
          keys, first.filesUploaded(), mib(first.bytesUploaded()), first.elapsed().toMillis(),
          mib(first.bytesUploaded()), second.elapsed().toMillis(), mib(second.bytesUploaded()),
          second.filesUploaded(), second.filesReused(), full.elapsed().toMillis(),
          mib(full.bytesUploaded()), restoreMillis, mib(restored.bytesDownloaded()));
    }
    LOG.debug("Finished {} keys", keys);
    deleteRecursively(work);
  }

  private static String randomText(java.util.SplittableRandom random, int length) {
    char[] chars = new char[length];
    for (int i = 0; i < length; i++) {
      chars[i] = (char) ('!' + random.nextInt(94));
    }
    return new String(chars);
  }

  private static String mib(long bytes) {
    return bytes < 1 << 20
        ? String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0)
        : String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
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
