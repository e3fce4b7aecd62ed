package io.microbatch.runner.recovery;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.microbatch.runner.MicroBatchPipelineOptions;
import io.microbatch.runner.MicroBatchPipelineResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.Read;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A stopped streaming job resumes from its checkpoint and counts every record exactly once. */
class RecoveryTest {
  private static final long COUNT = 1_000;

  static MicroBatchPipelineOptions options(Path checkpoints, int interval) {
    return options(checkpoints, interval, 100);
  }

  static MicroBatchPipelineOptions options(Path checkpoints, int interval, int recordsPerBatch) {
    List<String> args = new ArrayList<>(jobArgs(interval, recordsPerBatch));
    args.add("--checkpointDir=" + checkpoints.toUri());
    return PipelineOptionsFactory.fromArgs(args.toArray(String[]::new))
        .as(MicroBatchPipelineOptions.class);
  }

  /** The recovery jobs' options, all but where the checkpoints go. */
  static List<String> jobArgs(int interval, int recordsPerBatch) {
    return List.of(
        "--runner=MicroBatchRunner",
        "--streaming=true",
        "--parallelism=2",
        "--batchIntervalMillis=10",
        "--maxRecordsPerBatch=" + recordsPerBatch,
        "--backpressure=false",
        "--checkpointIntervalBatches=" + interval);
  }

  static Map<Long, String> expected() {
    return expected(COUNT);
  }

  static Map<Long, String> expected(long total) {
    Map<Long, String> sums = new TreeMap<>();
    for (long k = 0; k < 5; k++) {
      long sum = 0;
      long count = 0;
      for (long v = k; v < total; v += 5) {
        sum += v;
        count++;
      }
      sums.put(k, sum + "," + count);
    }
    return sums;
  }

  static Map<Long, String> read(Path out) throws Exception {
    Map<Long, String> sums = new TreeMap<>();
    for (long k = 0; k < 5; k++) {
      Path file = out.resolve("key-" + k);
      if (Files.exists(file)) {
        sums.put(k, Files.readString(file).trim());
      }
    }
    return sums;
  }

  /** Waits until a checkpoint was published (its manifest written). */
  static void awaitCheckpoint(Path checkpoints) throws Exception {
    Path snapshots = checkpoints.resolve("v1/state/snapshots");
    for (int i = 0; i < 600; i++) {
      if (Files.isDirectory(snapshots)) {
        try (var ids = Files.list(snapshots)) {
          if (ids.anyMatch(id -> Files.exists(id.resolve("MANIFEST")))) {
            return;
          }
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("No checkpoint was published within 30 s");
  }

  @ParameterizedTest(name = "checkpoint every {0} batches")
  @ValueSource(ints = {1, 3})
  void aCancelledJobResumesFromItsCheckpointAndCountsEachRecordOnce(
      int interval, @TempDir Path dir) throws Exception {
    Path checkpoints = dir.resolve("checkpoints");
    Path out = dir.resolve("out");
    PipelineResult first =
        KeyedSumsPipeline.create(options(checkpoints, interval), COUNT, out).run();
    awaitCheckpoint(checkpoints);
    first.cancel();
    assertThat("the first run must stop before the end", read(out).isEmpty(), equalTo(true));

    MicroBatchPipelineResult second =
        (MicroBatchPipelineResult)
            KeyedSumsPipeline.create(options(checkpoints, interval), COUNT, out).run();
    assertThat(
        second.waitUntilFinish(Duration.standardMinutes(2)), equalTo(PipelineResult.State.DONE));
    // It resumed rather than starting over: it read less than the whole input...
    long readAgain = second.batchStatistics().stream().mapToLong(b -> b.recordsRead()).sum();
    assertThat(readAgain, lessThan(COUNT));
    // ...and still every key's sum and count cover each number exactly once.
    assertThat(read(out), equalTo(expected()));
  }

  @Test
  void theRestoredCheckpointsLocalCopyIsDeletedWhenTheResumedJobEnds(@TempDir Path dir)
      throws Exception {
    Path checkpoints = dir.resolve("checkpoints");
    Path state = dir.resolve("state");
    Path out = dir.resolve("out");
    MicroBatchPipelineOptions options = options(checkpoints, 1);
    options.setStateDir(state.toString());
    PipelineResult first = KeyedSumsPipeline.create(options, COUNT, out).run();
    awaitCheckpoint(checkpoints);
    first.cancel();

    PipelineResult second = KeyedSumsPipeline.create(options, COUNT, out).run();
    assertThat(
        second.waitUntilFinish(Duration.standardMinutes(2)), equalTo(PipelineResult.State.DONE));
    assertThat(read(out), equalTo(expected()));
    // The snapshot was downloaded beside the state (--stateDir), and is gone after the run.
    try (var left = Files.list(state)) {
      List<String> restoreCopies =
          left.map(p -> p.getFileName().toString())
              .filter(name -> name.startsWith("microbatch-restore-"))
              .toList();
      assertThat(restoreCopies, empty());
    }
  }

  /**
   * The splittable DoFn's residual restriction waits in keyed state for a processing-time timer in
   * its element's window namespace; after the restore that restored timer fires before this
   * process set any timer of its own, so the timer store must decode its namespace without having
   * seen it set.
   */
  @Test
  void aSplittableDoFnResumesFromItsRestoredTimersAndCountsEachRecordOnce(@TempDir Path dir)
      throws Exception {
    long count = 600;
    Path checkpoints = dir.resolve("checkpoints");
    Path out = dir.resolve("out");
    PipelineResult first =
        SplittableSumsPipeline.create(options(checkpoints, 1), count, out).run();
    awaitCheckpoint(checkpoints);
    first.cancel();
    assertThat("the first run must stop before the end", read(out).isEmpty(), equalTo(true));

    PipelineResult second =
        SplittableSumsPipeline.create(options(checkpoints, 1), count, out).run();
    assertThat(
        second.waitUntilFinish(Duration.standardMinutes(2)), equalTo(PipelineResult.State.DONE));
    // It resumed the checkpointed restriction rather than starting over...
    long emittedAgain =
        second
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(
                        MetricNameFilter.named(
                            SplittableSumsPipeline.class, SplittableSumsPipeline.EMITTED))
                    .build())
            .getCounters()
            .iterator()
            .next()
            .getCommitted();
    assertThat(emittedAgain, lessThan(count));
    // ...and every key's sum and count still cover each number exactly once.
    assertThat(read(out), equalTo(expected(count)));
  }

  @Test
  void aChangedPipelineIsRefusedNamingWhatDiffers(@TempDir Path dir) throws Exception {
    Path checkpoints = dir.resolve("checkpoints");
    PipelineResult first =
        KeyedSumsPipeline.create(options(checkpoints, 1), COUNT, dir.resolve("out")).run();
    awaitCheckpoint(checkpoints);
    first.cancel();

    Pipeline changed = Pipeline.create(options(checkpoints, 1));
    changed
        .apply("Numbers", Read.from(new ResumableCountingSource(COUNT)))
        .apply("Renamed", MapElements.into(TypeDescriptors.longs()).via(v -> v));
    RuntimeException e = assertThrows(RuntimeException.class, changed::run);
    assertThat(e.getMessage(), containsString("Renamed"));
    assertThat(e.getMessage(), containsString("--checkpointDir"));
  }
}
