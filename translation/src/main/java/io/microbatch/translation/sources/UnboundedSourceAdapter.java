package io.microbatch.translation.sources;

import io.microbatch.engine.source.BatchSource;
import io.microbatch.engine.source.LocalSourceSplit;
import io.microbatch.engine.source.SourceSplit;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.apache.beam.sdk.io.UnboundedSource;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.joda.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Beam {@link UnboundedSource} read in slices, one per batch.
 *
 * <p>At the first batch the source is split once into about {@code parallelism} splits, each with
 * one long-lived reader (created without a checkpoint mark; restoring from one comes with
 * checkpoints). Each batch every split reads a bounded slice: the source's share of {@code
 * --maxRecordsPerBatch} (divided among the splits), capped by the {@code
 * --maxRecordsPerSecond} token bucket, and for at most {@code --batchIntervalMillis} of
 * reading, so that a slow source cannot stall the batch. Elements carry the reader's timestamps in
 * the global window. For sources that require deduping, a record id seen among the source's last
 * {@value #DEDUP_WINDOW_RECORDS} distinct ids is dropped (see {@link RecordIdDeduplicator}).
 *
 * <p>After its slice each split's checkpoint mark is taken; the marks of a batch are finalized only
 * once that batch committed ({@link #onBatchCommitted}). The watermark is the minimum of the
 * splits' watermarks; the source is exhausted once every split's watermark reached the end of
 * time. Readers are closed with the adapter.
 */
public final class UnboundedSourceAdapter<T, M extends UnboundedSource.CheckpointMark>
    implements BatchSource {
  private static final Logger LOG = LoggerFactory.getLogger(UnboundedSourceAdapter.class);

  /** How many distinct record ids the dedup window holds for a source that requires deduping. */
  static final int DEDUP_WINDOW_RECORDS = 100_000;

  /** How long a replayed split may wait for records its reader returned before the restart. */
  private static final long REPLAY_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);

  private final UnboundedSource<T, M> source;
  private final PipelineOptions options;
  private final long maxRecordsPerBatch;
  /** Set by the engine's backpressure after each batch; unlimited until it has measured. */
  private volatile long intakeLimit = Long.MAX_VALUE;
  /** Split positions from a checkpoint, applied when the source splits at its first batch. */
  private List<SplitPosition> restored;
  private final long maxReadNanos;
  private final ReadRateLimiter rateLimiter;
  private final AtomicLong readSinceLastPlan = new AtomicLong();
  private final NavigableMap<Long, List<UnboundedSource.CheckpointMark>> unfinalizedMarks =
      new ConcurrentSkipListMap<>();
  private List<UnboundedSplitReader<T, M>> splits;
  /** Records each split read in the batch being run: its extent for the write-ahead log. */
  private volatile AtomicLongArray readThisBatch = new AtomicLongArray(0);

  public UnboundedSourceAdapter(UnboundedSource<T, M> source, PipelineOptions options) {
    UnboundedReadOptions limits = options.as(UnboundedReadOptions.class);
    if (limits.getMaxRecordsPerBatch() <= 0) {
      throw new IllegalArgumentException(
          "--maxRecordsPerBatch must be positive, was " + limits.getMaxRecordsPerBatch());
    }
    this.source = source;
    this.options = options;
    this.maxRecordsPerBatch = limits.getMaxRecordsPerBatch();
    this.maxReadNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(1, limits.getBatchIntervalMillis()));
    this.rateLimiter =
        new ReadRateLimiter(limits.getMaxRecordsPerSecond(), System::nanoTime);
  }

  @Override
  public void limitNextBatch(long maxRecords) {
    intakeLimit = Math.max(1, maxRecords);
  }

  @Override
  public List<SourceSplit> planBatch(long batchId, int parallelism) throws Exception {
    if (splits == null) {
      splits = split(parallelism);
    }
    readThisBatch = new AtomicLongArray(splits.size());
    if (isExhausted()) {
      return List.of();
    }
    rateLimiter.consume(readSinceLastPlan.getAndSet(0));
    long budget = Math.min(Math.min(maxRecordsPerBatch, intakeLimit), rateLimiter.available());
    int n = splits.size();
    AtomicLongArray counts = new AtomicLongArray(n);
    readThisBatch = counts;
    List<SourceSplit> planned = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      // The remainder goes to different splits in turn, so a small budget still reaches all.
      long share = budget / n + (Math.floorMod(i - batchId, n) < budget % n ? 1 : 0);
      UnboundedSplitReader<T, M> split = splits.get(i);
      int index = i;
      planned.add(
          (LocalSourceSplit) output -> {
            UnboundedSplitReader.Slice slice =
                split.readSlice(output, share, maxReadNanos);
            recordSlice(batchId, index, counts, slice);
          });
    }
    return planned;
  }

  /** Marks the extent format that carries each split's end position (see {@link #batchExtent}). */
  private static final int EXTENT_WITH_MARKS = -2;

  /**
   * Per split, in split order: records read, the watermark reached, and the checkpoint mark the
   * split ended the batch at (encoded with the source's coder; for Kafka the next offset of every
   * partition). Replay needs only the counts; the marks make the log say where each batch ended.
   */
  @Override
  public Optional<byte[]> batchExtent() throws IOException {
    AtomicLongArray counts = readThisBatch;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      int n = splits == null ? 0 : splits.size();
      out.writeInt(EXTENT_WITH_MARKS);
      out.writeInt(n);
      for (int i = 0; i < n; i++) {
        out.writeLong(i < counts.length() ? counts.get(i) : 0);
        out.writeLong(splits.get(i).watermark().getMillis());
        writeBytes(out, splits.get(i).encodedCheckpoint());
      }
    }
    return Optional.of(bytes.toByteArray());
  }

  /** One split's part of a logged extent. */
  private record LoggedSlice(long records, Instant watermark, byte[] endMark) {}

  private static List<LoggedSlice> readExtent(byte[] extent) throws IOException {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(extent))) {
      int first = in.readInt();
      // Logs written before the marks were added start with the split count.
      boolean withMarks = first == EXTENT_WITH_MARKS;
      int n = withMarks ? in.readInt() : first;
      List<LoggedSlice> slices = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        long records = in.readLong();
        Instant watermark = new Instant(in.readLong());
        slices.add(new LoggedSlice(records, watermark, withMarks ? readBytes(in) : null));
      }
      return slices;
    }
  }

  /**
   * The checkpoint mark each split ended a logged batch at, in split order (empty for a split that
   * had not read yet, or a log written before marks were logged), encoded with the source's
   * checkpoint mark coder: for tools and tests that read the write-ahead log.
   */
  public static List<Optional<byte[]>> loggedEndMarks(byte[] extent) throws IOException {
    return readExtent(extent).stream().map(s -> Optional.ofNullable(s.endMark())).toList();
  }

  /** Reads exactly the logged number of records per split, ignoring every intake limit. */
  @Override
  public List<SourceSplit> replayBatch(long batchId, int parallelism, byte[] extent)
      throws Exception {
    if (splits == null) {
      splits = split(parallelism);
    }
    List<LoggedSlice> logged = readExtent(extent);
    int n = logged.size();
    if (n != 0 && n != splits.size()) {
      throw new IllegalStateException("Batch " + batchId + " of " + source + " was logged with "
          + n + " splits but the source now has " + splits.size() + "; resume with the same "
          + "--parallelism or use a new --checkpointDir");
    }
    AtomicLongArray counts = new AtomicLongArray(splits.size());
    readThisBatch = counts;
    List<SourceSplit> planned = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      LoggedSlice slice = logged.get(i);
      UnboundedSplitReader<T, M> split = splits.get(i);
      int index = i;
      planned.add(
          (LocalSourceSplit) output -> {
            UnboundedSplitReader.Slice replayed =
                split.replaySlice(
                    output, slice.records(), slice.watermark(), REPLAY_TIMEOUT_NANOS);
            recordSlice(batchId, index, counts, replayed);
          });
    }
    return planned;
  }

  private List<UnboundedSplitReader<T, M>> split(int parallelism) throws Exception {
    List<? extends UnboundedSource<T, M>> parts = source.split(Math.max(1, parallelism), options);
    if (parts.isEmpty()) {
      parts = List.of(source);
    }
    if (restored != null && restored.size() != parts.size()) {
      throw new IllegalStateException(
          "The checkpoint of "
              + source
              + " has "
              + restored.size()
              + " splits but the source now splits into "
              + parts.size()
              + " (was --parallelism changed?); resume with the same --parallelism or use a new"
              + " --checkpointDir");
    }
    RecordIdDeduplicator deduplicator =
        source.requiresDeduping() ? new RecordIdDeduplicator(DEDUP_WINDOW_RECORDS) : null;
    List<UnboundedSplitReader<T, M>> readers = new ArrayList<>(parts.size());
    for (int i = 0; i < parts.size(); i++) {
      UnboundedSplitReader<T, M> reader =
          new UnboundedSplitReader<>(parts.get(i), options, deduplicator);
      if (restored != null) {
        reader.resumeFrom(restored.get(i).mark(), restored.get(i).watermark());
      }
      readers.add(reader);
    }
    LOG.info("Reading unbounded source {} in {} splits", source, readers.size());
    return List.copyOf(readers);
  }

  private void recordSlice(
      long batchId, int index, AtomicLongArray counts, UnboundedSplitReader.Slice slice) {
    if (slice != null) {
      counts.set(index, slice.records());
      readSinceLastPlan.addAndGet(slice.records());
      unfinalizedMarks
          .computeIfAbsent(batchId, id -> Collections.synchronizedList(new ArrayList<>()))
          .add(slice.mark());
    }
  }

  /** Finalizes the checkpoint marks taken in this batch (and any earlier one not yet finalized). */
  @Override
  public void onBatchCommitted(long batchId) throws Exception {
    NavigableMap<Long, List<UnboundedSource.CheckpointMark>> committed =
        unfinalizedMarks.headMap(batchId, true);
    for (Map.Entry<Long, List<UnboundedSource.CheckpointMark>> batch :
        new ArrayList<>(committed.entrySet())) {
      for (UnboundedSource.CheckpointMark mark : batch.getValue()) {
        mark.finalizeCheckpoint();
      }
      committed.remove(batch.getKey());
    }
  }

  /**
   * The last checkpoint mark of every split, in split order, encoded with the source's checkpoint
   * mark coder (null for a split that has not read yet); what a checkpoint will persist.
   */
  public List<byte[]> encodedCheckpointMarks() {
    List<byte[]> marks = new ArrayList<>();
    if (splits != null) {
      for (UnboundedSplitReader<T, M> split : splits) {
        marks.add(split.encodedCheckpoint());
      }
    }
    return marks;
  }

  /** What one split resumes from. */
  private record SplitPosition(byte[] mark, Instant watermark) {}

  /**
   * Per split, in split order: its watermark and last checkpoint mark (encoded with the source's
   * coder). A split that has not read yet resumes from its beginning.
   */
  @Override
  public Optional<byte[]> position() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      if (splits == null) {
        List<SplitPosition> pending = restored == null ? List.of() : restored;
        out.writeInt(pending.size());
        for (SplitPosition split : pending) {
          writeSplit(out, split.mark(), split.watermark());
        }
      } else {
        out.writeInt(splits.size());
        for (UnboundedSplitReader<T, M> split : splits) {
          writeSplit(out, split.encodedCheckpoint(), split.watermark());
        }
      }
    }
    return Optional.of(bytes.toByteArray());
  }

  private static void writeSplit(DataOutputStream out, byte[] mark, Instant watermark)
      throws IOException {
    out.writeLong(watermark.getMillis());
    writeBytes(out, mark);
  }

  /** Length-prefixed; a length of -1 for null. */
  private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
    out.writeInt(bytes == null ? -1 : bytes.length);
    if (bytes != null) {
      out.write(bytes);
    }
  }

  private static byte[] readBytes(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length < 0) {
      return null;
    }
    byte[] bytes = new byte[length];
    in.readFully(bytes);
    return bytes;
  }

  @Override
  public void restore(byte[] position) throws IOException {
    if (splits != null) {
      throw new IllegalStateException("A source resumes only before its first batch");
    }
    List<SplitPosition> positions = new ArrayList<>();
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(position))) {
      int n = in.readInt();
      for (int i = 0; i < n; i++) {
        Instant watermark = new Instant(in.readLong());
        positions.add(new SplitPosition(readBytes(in), watermark));
      }
    }
    restored = positions.isEmpty() ? null : List.copyOf(positions);
  }

  @Override
  public Instant watermark() {
    if (splits == null) {
      // Before the first batch: a resumed source's watermark is where its checkpoint left it.
      return restored == null
          ? BoundedWindow.TIMESTAMP_MIN_VALUE
          : restored.stream()
              .map(SplitPosition::watermark)
              .min(Instant::compareTo)
              .orElse(BoundedWindow.TIMESTAMP_MIN_VALUE);
    }
    Instant min = BoundedWindow.TIMESTAMP_MAX_VALUE;
    for (UnboundedSplitReader<T, M> split : splits) {
      if (split.watermark().isBefore(min)) {
        min = split.watermark();
      }
    }
    return min;
  }

  @Override
  public boolean isExhausted() {
    return splits != null && !watermark().isBefore(BoundedWindow.TIMESTAMP_MAX_VALUE);
  }

  @Override
  public void close() throws Exception {
    if (splits == null) {
      return;
    }
    Exception failure = null;
    for (UnboundedSplitReader<T, M> split : splits) {
      try {
        split.close();
      } catch (Exception e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  public String toString() {
    return "UnboundedSourceAdapter[" + source + "]";
  }
}
