package io.microbatch.runner;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.io.UnboundedSource;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.joda.time.Instant;

/**
 * A test source: unbounded in type, but it holds a fixed list of values, the i-th at {@code i *
 * stepMillis}, in one split. Its watermark follows the last value read and reaches the end of time
 * after the last one (or, if asked to, only once the test {@link #release released} it). It logs
 * the checkpoint marks it hands out and the ones finalized to {@link #events}.
 */
final class RecordingUnboundedSource
    extends UnboundedSource<Long, RecordingUnboundedSource.Mark> {
  private static final Map<String, List<String>> EVENTS = new ConcurrentHashMap<>();
  private static final Set<String> RELEASED = ConcurrentHashMap.newKeySet();

  private final String id;
  private final long[] values;
  private final long stepMillis;
  private final boolean requiresDeduping;
  private final boolean holdsWatermarkUntilReleased;

  private RecordingUnboundedSource(
      String id,
      long[] values,
      long stepMillis,
      boolean requiresDeduping,
      boolean holdsWatermarkUntilReleased) {
    this.id = id;
    this.values = values;
    this.stepMillis = stepMillis;
    this.requiresDeduping = requiresDeduping;
    this.holdsWatermarkUntilReleased = holdsWatermarkUntilReleased;
  }

  /** The values 0 .. count-1, the i-th at {@code i * stepMillis}. */
  static RecordingUnboundedSource counting(String id, int count, long stepMillis) {
    long[] values = new long[count];
    for (int i = 0; i < count; i++) {
      values[i] = i;
    }
    return of(id, values, stepMillis, false, false);
  }

  static RecordingUnboundedSource of(
      String id,
      long[] values,
      long stepMillis,
      boolean requiresDeduping,
      boolean holdsWatermarkUntilReleased) {
    EVENTS.put(id, Collections.synchronizedList(new ArrayList<>()));
    RELEASED.remove(id);
    return new RecordingUnboundedSource(
        id, values, stepMillis, requiresDeduping, holdsWatermarkUntilReleased);
  }

  /** Appends to the event log of the source with this id (also for the test's own steps). */
  static void log(String id, String event) {
    EVENTS.get(id).add(event);
  }

  /** A copy of the event log of the source with this id. */
  static List<String> events(String id) {
    List<String> log = EVENTS.get(id);
    synchronized (log) {
      return new ArrayList<>(log);
    }
  }

  /** Lets the watermark of a source that holds it reach the end of time after its last value. */
  static void release(String id) {
    RELEASED.add(id);
  }

  @Override
  public List<RecordingUnboundedSource> split(int desiredNumSplits, PipelineOptions options) {
    return List.of(this);
  }

  @Override
  public UnboundedReader<Long> createReader(PipelineOptions options, Mark checkpointMark) {
    return new Reader();
  }

  @Override
  public Coder<Mark> getCheckpointMarkCoder() {
    return SerializableCoder.of(Mark.class);
  }

  @Override
  public Coder<Long> getOutputCoder() {
    return VarLongCoder.of();
  }

  @Override
  public boolean requiresDeduping() {
    return requiresDeduping;
  }

  /** Counts finalized marks, as KafkaIO counts the offset commits its marks enqueue. */
  static final String MARKS_FINALIZED = "marksFinalized";

  /**
   * The index of the last value read when the mark was taken; logs its finalization and counts it
   * in {@link #MARKS_FINALIZED}.
   */
  static final class Mark implements UnboundedSource.CheckpointMark, Serializable {
    final String sourceId;
    final int lastRead;

    Mark(String sourceId, int lastRead) {
      this.sourceId = sourceId;
      this.lastRead = lastRead;
    }

    @Override
    public void finalizeCheckpoint() {
      log(sourceId, "finalize:" + lastRead);
      Metrics.counter(RecordingUnboundedSource.class, MARKS_FINALIZED).inc();
    }
  }

  private final class Reader extends UnboundedReader<Long> {
    private int index = -1;

    @Override
    public boolean start() {
      return advance();
    }

    @Override
    public boolean advance() {
      if (index + 1 >= values.length) {
        return false;
      }
      index++;
      return true;
    }

    @Override
    public Long getCurrent() {
      if (index < 0) {
        throw new NoSuchElementException();
      }
      return values[index];
    }

    @Override
    public Instant getCurrentTimestamp() {
      return new Instant(index * stepMillis);
    }

    @Override
    public byte[] getCurrentRecordId() {
      return ByteBuffer.allocate(Long.BYTES).putLong(getCurrent()).array();
    }

    @Override
    public Instant getWatermark() {
      boolean readAll = index == values.length - 1;
      if (readAll && (!holdsWatermarkUntilReleased || RELEASED.contains(id))) {
        return BoundedWindow.TIMESTAMP_MAX_VALUE;
      }
      return index < 0 ? BoundedWindow.TIMESTAMP_MIN_VALUE : getCurrentTimestamp();
    }

    @Override
    public Mark getCheckpointMark() {
      log(id, "mark:" + index);
      return new Mark(id, index);
    }

    @Override
    public UnboundedSource<Long, ?> getCurrentSource() {
      return RecordingUnboundedSource.this;
    }

    @Override
    public void close() {}
  }
}
