package io.microbatch.kafka;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.microbatch.engine.stats.BatchStatistics;
import io.microbatch.runner.MicroBatchPipelineResult;
import java.util.List;
import org.apache.beam.sdk.PipelineResult;
import org.joda.time.Duration;

/** Ending streaming pipelines at the end of a test. */
final class KafkaPipelines {
  private KafkaPipelines() {}

  /** Cancels a running pipeline and waits (bounded) until it is cancelled. */
  static void stop(PipelineResult result) throws java.io.IOException {
    if (!result.getState().isTerminal()) {
      result.cancel();
    }
    PipelineResult.State state = result.waitUntilFinish(Duration.standardSeconds(20));
    assertThat(state, equalTo(PipelineResult.State.CANCELLED));
  }

  /**
   * Waits until {@code batches} more batches committed after this call (a batch running now does
   * not count), so a test waits for the engine's progress, not for a guess of wall-clock time.
   */
  static void awaitBatches(PipelineResult result, int batches, java.time.Duration timeout)
      throws InterruptedException {
    MicroBatchPipelineResult run = (MicroBatchPipelineResult) result;
    long after = lastBatchId(run) + 1;
    long deadline = System.nanoTime() + timeout.toNanos();
    while (lastBatchId(run) < after + batches - 1) {
      if (System.nanoTime() > deadline || run.getState().isTerminal()) {
        throw new AssertionError(
            "expected " + batches + " batches after batch " + (after - 1) + " within " + timeout
                + ", last committed " + lastBatchId(run) + ", pipeline " + run.getState());
      }
      Thread.sleep(20);
    }
  }

  /** Waits until the committed batches (the most recent 1,000) read {@code records} in all. */
  static void awaitRecordsRead(PipelineResult result, long records, java.time.Duration timeout)
      throws InterruptedException {
    MicroBatchPipelineResult run = (MicroBatchPipelineResult) result;
    long deadline = System.nanoTime() + timeout.toNanos();
    long read;
    while ((read = run.batchStatistics().stream().mapToLong(BatchStatistics::recordsRead).sum())
        < records) {
      if (System.nanoTime() > deadline || run.getState().isTerminal()) {
        throw new AssertionError(
            "read " + read + " of " + records + " records within " + timeout + ", pipeline "
                + run.getState());
      }
      Thread.sleep(20);
    }
  }

  private static long lastBatchId(MicroBatchPipelineResult run) {
    List<BatchStatistics> batches = run.batchStatistics();
    return batches.isEmpty() ? -1 : batches.get(batches.size() - 1).batchId();
  }
}
