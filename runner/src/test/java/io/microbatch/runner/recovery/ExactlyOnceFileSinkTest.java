package io.microbatch.runner.recovery;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.not;

import io.microbatch.engine.stats.BatchStatistics;
import io.microbatch.runner.MicroBatchPipelineOptions;
import io.microbatch.runner.MicroBatchPipelineResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.apache.beam.sdk.PipelineResult;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TextIO's windowed writes on the runner are exactly-once across restarts: batches logged after
 * the last checkpoint are replayed with what they read before, and their files replace the ones
 * published before the restart instead of adding to them.
 */
class ExactlyOnceFileSinkTest {
  private static final long COUNT = 1_000;
  private static final int INTERVAL = 5;

  private static MicroBatchPipelineOptions options(Path checkpoints) {
    return RecoveryTest.options(checkpoints, INTERVAL, 20);
  }

  @Test
  void anUninterruptedRunWritesEveryWindowsSumsOnce(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("out");
    PipelineResult result =
        WindowedCountsToFiles.create(options(dir.resolve("checkpoints")), COUNT, out).run();
    assertThat(result.waitUntilFinish(Duration.standardMinutes(2)), equalTo(PipelineResult.State.DONE));
    assertThat(
        WindowedCountsToFiles.publishedLines(out),
        equalTo(WindowedCountsToFiles.expectedLines(COUNT)));
  }

  @Test
  void batchesLoggedAfterTheLastCheckpointAreReplayedExactlyAndTheirFilesReplaced(
      @TempDir Path dir) throws Exception {
    Path checkpoints = dir.resolve("checkpoints");
    Path out = dir.resolve("out");
    MicroBatchPipelineResult first =
        (MicroBatchPipelineResult) WindowedCountsToFiles.create(options(checkpoints), COUNT, out).run();
    // Stop three batches after a checkpoint (one is taken after every fifth batch): those three
    // are logged, committed and published, but not in the checkpoint.
    AtomicBoolean stopping = new AtomicBoolean();
    first.addBatchListener(
        batch -> {
          if (batch.batchId() >= 10 && (batch.batchId() + 1) % INTERVAL == 3
              && stopping.compareAndSet(false, true)) {
            first.cancel();
          }
        });
    first.waitUntilFinish(Duration.standardMinutes(2));
    Map<Long, Long> readBefore = readPerBatch(first.batchStatistics());
    assertThat("some output was published before the restart",
        WindowedCountsToFiles.publishedLines(out), not(empty()));

    MicroBatchPipelineResult second =
        (MicroBatchPipelineResult) WindowedCountsToFiles.create(options(checkpoints), COUNT, out).run();
    assertThat(second.waitUntilFinish(Duration.standardMinutes(2)), equalTo(PipelineResult.State.DONE));

    List<BatchStatistics> replayed =
        second.batchStatistics().stream().filter(BatchStatistics::replayed).toList();
    assertThat(replayed.size(), equalTo(3));
    for (BatchStatistics batch : replayed) {
      assertThat("batch " + batch.batchId() + " read what it read before",
          batch.recordsRead(), equalTo(readBefore.get(batch.batchId())));
    }
    assertThat(readBefore.values().stream().mapToLong(Long::longValue).sum(), greaterThan(0L));
    assertThat(
        WindowedCountsToFiles.publishedLines(out),
        equalTo(WindowedCountsToFiles.expectedLines(COUNT)));
  }

  @Test
  void beforeTheFirstSnapshotTheLogAloneReplaysTheJobFromEmptyState(@TempDir Path dir)
      throws Exception {
    Path checkpoints = dir.resolve("checkpoints");
    Path out = dir.resolve("out");
    // No snapshot is due in this run: everything the restart knows is the batch log.
    MicroBatchPipelineOptions noSnapshots = RecoveryTest.options(checkpoints, 1_000, 20);
    MicroBatchPipelineResult first =
        (MicroBatchPipelineResult) WindowedCountsToFiles.create(noSnapshots, COUNT, out).run();
    AtomicBoolean stopping = new AtomicBoolean();
    first.addBatchListener(
        batch -> {
          if (batch.batchId() >= 6 && stopping.compareAndSet(false, true)) {
            first.cancel();
          }
        });
    first.waitUntilFinish(Duration.standardMinutes(2));
    Map<Long, Long> readBefore = readPerBatch(first.batchStatistics());

    MicroBatchPipelineResult second =
        (MicroBatchPipelineResult)
            WindowedCountsToFiles.create(
                    RecoveryTest.options(checkpoints, 1_000, 20), COUNT, out)
                .run();
    assertThat(second.waitUntilFinish(Duration.standardMinutes(2)), equalTo(PipelineResult.State.DONE));

    List<BatchStatistics> replayed =
        second.batchStatistics().stream().filter(BatchStatistics::replayed).toList();
    assertThat(replayed.stream().map(BatchStatistics::batchId).toList(),
        equalTo(first.batchStatistics().stream().map(BatchStatistics::batchId).toList()));
    for (BatchStatistics batch : replayed) {
      assertThat(batch.recordsRead(), equalTo(readBefore.get(batch.batchId())));
    }
    assertThat(
        WindowedCountsToFiles.publishedLines(out),
        equalTo(WindowedCountsToFiles.expectedLines(COUNT)));
  }

  private static Map<Long, Long> readPerBatch(List<BatchStatistics> batches) {
    return batches.stream()
        .collect(Collectors.toMap(BatchStatistics::batchId, BatchStatistics::recordsRead));
  }
}
