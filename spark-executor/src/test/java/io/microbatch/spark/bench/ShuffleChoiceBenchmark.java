package io.microbatch.spark.bench;

import io.microbatch.spark.cluster.SparkTestCluster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaSparkContext;
import scala.Tuple2;

/**
 * Issue #10, item 1: which shuffle should carry records between the Spark executor's stages?
 * Moves the same bytes per batch, {@code maps x reducers} buckets as the engine's keyed
 * shuffle produces them (already Beam-coder encoded, so plain byte arrays), two ways on a
 * two-worker {@link SparkTestCluster}: <b>driver-routed</b> (what the executor does: the map
 * tasks' buckets come back to the driver as job results, the driver hands each reducer its
 * buckets in the next job's tasks) and <b>Spark's shuffle</b> (one job: map tasks write shuffle
 * files, reducers fetch them from the executors). Both reduce to the same checksum, which is
 * compared. Prints a Markdown table (this main's output) and writes JSON lines to {@code
 * target/shuffle-choice.jsonl}.
 *
 * <pre>spark-executor/bench.sh --shuffle [--quick]</pre>
 */
public final class ShuffleChoiceBenchmark {
  private static final int MAPS = 4;
  private static final int REDUCERS = 4;

  private ShuffleChoiceBenchmark() {}

  public static void main(String[] args) throws Exception {
    boolean quick = Arrays.asList(args).contains("--quick");
    int[] megabytes = quick ? new int[] {0, 1, 8} : new int[] {0, 1, 8, 32, 96};
    int runs = quick ? 3 : 7;
    int warmups = quick ? 1 : 3;
    Path root = Path.of("target", "spark-benchmark", "shuffle-choice").toAbsolutePath();
    Path jsonl = Path.of("target", "shuffle-choice.jsonl");
    Files.deleteIfExists(jsonl);
    List<String> rows = new ArrayList<>();
    try (SparkTestCluster cluster = SparkTestCluster.builder(root).coresPerWorker(1)
        .workerMemoryMb(2048).benchmarkExecutors("1536m").localityWait("3s")
        .start("shuffle-choice")) {
      JavaSparkContext spark = cluster.spark();
      for (int mb : megabytes) {
        int bucketBytes = (int) ((long) mb * 1024 * 1024 / (MAPS * REDUCERS));
        for (int i = 0; i < warmups; i++) {
          check(driverRouted(spark, bucketBytes), sparkShuffle(spark, bucketBytes));
        }
        long[] driver = new long[runs];
        long[] shuffle = new long[runs];
        String load = loadAverage();
        for (int i = 0; i < runs; i++) {
          // Interleaved, so drift in the machine's load hits both alike.
          long start = System.nanoTime();
          long a = driverRouted(spark, bucketBytes);
          driver[i] = System.nanoTime() - start;
          start = System.nanoTime();
          long b = sparkShuffle(spark, bucketBytes);
          shuffle[i] = System.nanoTime() - start;
          check(a, b);
        }
        String loadAfter = loadAverage();
        double driverMs = median(driver) / 1e6;
        double shuffleMs = median(shuffle) / 1e6;
        rows.add(String.format("| %d | %.1f | %.1f | %s | %s | %s / %s |", mb, driverMs,
            shuffleMs, rate(mb, driverMs), rate(mb, shuffleMs), load, loadAfter));
        Files.writeString(jsonl, String.format("{\"megabytes\":%d,\"maps\":%d,\"reducers\":%d,"
                + "\"runs\":%d,\"driverRoutedMs\":%s,\"sparkShuffleMs\":%s,\"load1Before\":%s,"
                + "\"load1After\":%s}%n", mb, MAPS, REDUCERS, runs, millis(driver),
                millis(shuffle), load, loadAfter),
            StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      }
    }
    System.out.println("| MB per batch | driver-routed ms (median) | Spark shuffle ms (median) "
        + "| driver-routed MB/s | Spark shuffle MB/s | load (1 min) before / after |");
    System.out.println("|---:|---:|---:|---:|---:|---|");
    rows.forEach(System.out::println);
  }

  /** Job 1 brings every map task's buckets to the driver; job 2 gives each reducer its own. */
  static long driverRouted(JavaSparkContext spark, int bucketBytes) {
    List<byte[][]> maps = spark.parallelize(mapIds(), MAPS)
        .map(map -> buckets(map, bucketBytes)).collect();
    List<List<byte[]>> reducers = new ArrayList<>();
    for (int r = 0; r < REDUCERS; r++) {
      List<byte[]> input = new ArrayList<>();
      for (byte[][] map : maps) {
        input.add(map[r]);
      }
      reducers.add(input);
    }
    return spark.parallelize(reducers, REDUCERS)
        .map(ShuffleChoiceBenchmark::checksum).reduce(Long::sum);
  }

  /** One job: map tasks write Spark shuffle files, reducers fetch their buckets. */
  static long sparkShuffle(JavaSparkContext spark, int bucketBytes) {
    return spark.parallelize(mapIds(), MAPS)
        .flatMapToPair(map -> {
          byte[][] buckets = buckets(map, bucketBytes);
          List<Tuple2<Integer, byte[]>> out = new ArrayList<>();
          for (int r = 0; r < REDUCERS; r++) {
            out.add(new Tuple2<>(r, buckets[r]));
          }
          return out.iterator();
        })
        .partitionBy(new HashPartitioner(REDUCERS))
        .mapPartitions(records -> {
          List<byte[]> input = new ArrayList<>();
          records.forEachRemaining(record -> input.add(record._2()));
          return List.of(checksum(input)).iterator();
        })
        .reduce(Long::sum);
  }

  private static List<Integer> mapIds() {
    List<Integer> ids = new ArrayList<>();
    for (int m = 0; m < MAPS; m++) {
      ids.add(m);
    }
    return ids;
  }

  /** A map task's output: one bucket of bytes per reducer, the same in every run. */
  static byte[][] buckets(int map, int bucketBytes) {
    byte[][] buckets = new byte[REDUCERS][bucketBytes];
    for (int r = 0; r < REDUCERS; r++) {
      new Random(map * 31L + r).nextBytes(buckets[r]);
    }
    return buckets;
  }

  /** Order-independent, so both ways must agree whatever order a reducer's buckets came in. */
  static long checksum(List<byte[]> buckets) {
    long sum = 0;
    for (byte[] bucket : buckets) {
      CRC32 crc = new CRC32();
      crc.update(bucket);
      sum += crc.getValue() + bucket.length;
    }
    return sum;
  }

  private static void check(long driverRouted, long sparkShuffle) {
    if (driverRouted != sparkShuffle) {
      throw new IllegalStateException("The two shuffles delivered different bytes: "
          + driverRouted + " vs " + sparkShuffle);
    }
  }

  private static double median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
  }

  private static String millis(long[] nanos) {
    StringBuilder json = new StringBuilder("[");
    for (int i = 0; i < nanos.length; i++) {
      json.append(i == 0 ? "" : ",").append(String.format("%.1f", nanos[i] / 1e6));
    }
    return json.append(']').toString();
  }

  private static String rate(int mb, double ms) {
    return mb == 0 ? "-" : String.format("%.0f", mb / (ms / 1000.0));
  }

  private static String loadAverage() throws IOException {
    return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
  }
}
