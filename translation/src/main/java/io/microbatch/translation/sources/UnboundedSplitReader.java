package io.microbatch.translation.sources;

import io.microbatch.engine.operator.Emitter;
import java.io.IOException;
import org.apache.beam.sdk.io.UnboundedSource;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.WindowedValues;
import org.joda.time.Instant;

/**
 * One split of an unbounded source with its long-lived reader. Each batch it reads a bounded
 * slice ({@link #readSlice}), then keeps the reader's watermark and its checkpoint mark, encoded
 * with the source's checkpoint mark coder so that it can be persisted. One task at a time reads a
 * split; the engine's task hand-off orders its batches.
 */
final class UnboundedSplitReader<T, M extends UnboundedSource.CheckpointMark> implements AutoCloseable {
  /** Metric namespace of the per-split read statistics, reported under the read step. */
  static final String METRICS_NAMESPACE = "microbatch.source";

  private final UnboundedSource<T, M> source;
  private final PipelineOptions options;
  private final RecordIdDeduplicator deduplicator;
  private final Distribution recordsPerSlice =
      Metrics.distribution(METRICS_NAMESPACE, "recordsReadPerSplitAndBatch");
  private final Counter duplicatesDropped =
      Metrics.counter(METRICS_NAMESPACE, "duplicatesDropped");
  private UnboundedSource.UnboundedReader<T> reader;
  private boolean started;
  private volatile Instant watermark = BoundedWindow.TIMESTAMP_MIN_VALUE;
  private volatile byte[] encodedCheckpoint;

  /**
   * @param deduplicator drops repeated record ids, or null if the source does not require deduping
   */
  UnboundedSplitReader(
      UnboundedSource<T, M> source, PipelineOptions options, RecordIdDeduplicator deduplicator) {
    this.source = source;
    this.options = options;
    this.deduplicator = deduplicator;
  }

  /**
   * Resumes after a checkpoint: the reader will start from this encoded mark (null: from the
   * beginning), and the watermark will not report less than the checkpointed one.
   */
  void resumeFrom(byte[] encodedMark, Instant checkpointedWatermark) {
    if (reader != null) {
      throw new IllegalStateException("A split resumes only before it has read");
    }
    this.encodedCheckpoint = encodedMark;
    this.watermark = checkpointedWatermark;
  }

  /** What one slice read: how many records and the checkpoint mark that covers them. */
  record Slice(long records, UnboundedSource.CheckpointMark mark) {}

  /**
   * Reads up to {@code maxRecords} records, stopping early when the reader has nothing available
   * or {@code maxReadNanos} have passed (a reader call that blocks is not interrupted). Returns
   * null if the slice was empty by limit ({@code maxRecords} of 0): then only the watermark is
   * refreshed and no checkpoint mark is taken.
   */
  Slice readSlice(Emitter output, long maxRecords, long maxReadNanos) throws Exception {
    openReader();
    if (maxRecords <= 0) {
      refreshWatermark();
      return null;
    }
    long startNanos = System.nanoTime();
    long read = 0;
    boolean available = started ? reader.advance() : reader.start();
    started = true;
    while (available) {
      read++;
      emitCurrent(output);
      if (read >= maxRecords || System.nanoTime() - startNanos >= maxReadNanos) {
        break;
      }
      available = reader.advance();
    }
    recordsPerSlice.update(read);
    UnboundedSource.CheckpointMark mark = takeMark();
    refreshWatermark();
    return new Slice(read, mark);
  }

  /**
   * Replays a logged slice: reads exactly {@code records} records (waiting for a reader that has
   * none available yet, up to {@code timeoutNanos}), then takes the checkpoint mark and moves the
   * watermark to the logged one rather than asking the reader, whose watermark may follow the
   * wall clock.
   *
   * @throws IllegalStateException if the reader cannot return as many records as it did before
   */
  Slice replaySlice(Emitter output, long records, Instant loggedWatermark, long timeoutNanos)
      throws Exception {
    openReader();
    long deadline = System.nanoTime() + timeoutNanos;
    long read = 0;
    while (read < records) {
      boolean available = started ? reader.advance() : reader.start();
      started = true;
      if (available) {
        read++;
        emitCurrent(output);
      } else if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException("Replaying a logged batch of " + source + ": its reader "
            + "returned " + read + " of the " + records + " records it read before the restart. "
            + "The source does not read the same records again from its checkpoint mark, so "
            + "the batch cannot be replayed exactly.");
      } else {
        Thread.sleep(5);
      }
    }
    UnboundedSource.CheckpointMark mark = takeMark();
    if (loggedWatermark.isAfter(watermark)) {
      watermark = loggedWatermark;
    }
    return new Slice(read, mark);
  }

  private void openReader() throws Exception {
    if (reader == null) {
      M mark =
          encodedCheckpoint == null
              ? null
              : CoderUtils.decodeFromByteArray(source.getCheckpointMarkCoder(), encodedCheckpoint);
      reader = source.createReader(options, mark);
    }
  }

  private UnboundedSource.CheckpointMark takeMark() throws Exception {
    UnboundedSource.CheckpointMark mark = reader.getCheckpointMark();
    @SuppressWarnings("unchecked")
    M typed = (M) mark;
    encodedCheckpoint = CoderUtils.encodeToByteArray(source.getCheckpointMarkCoder(), typed);
    return mark;
  }

  private void emitCurrent(Emitter output) throws Exception {
    if (deduplicator != null && !deduplicator.firstSeen(reader.getCurrentRecordId())) {
      duplicatesDropped.inc();
      return;
    }
    output.emit(
        WindowedValues.timestampedValueInGlobalWindow(
            reader.getCurrent(), reader.getCurrentTimestamp()));
  }

  private void refreshWatermark() {
    Instant reported = reader.getWatermark();
    if (reported.isAfter(BoundedWindow.TIMESTAMP_MAX_VALUE)) {
      reported = BoundedWindow.TIMESTAMP_MAX_VALUE;
    }
    // A watermark never moves back, even if a reader reports one that does.
    if (reported.isAfter(watermark)) {
      watermark = reported;
    }
  }

  /** The reader's watermark after the last slice; the start of time before the first. */
  Instant watermark() {
    return watermark;
  }

  /** The last checkpoint mark taken, encoded with the source's coder; null before the first. */
  byte[] encodedCheckpoint() {
    return encodedCheckpoint;
  }

  /** The split this reader reads. */
  UnboundedSource<T, M> source() {
    return source;
  }

  @Override
  public void close() throws IOException {
    if (reader != null) {
      reader.close();
      reader = null;
    }
  }
}
