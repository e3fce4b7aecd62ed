package io.microbatch.spark.bench;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.io.UnboundedSource;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * An unbounded source that reads {@code warm} numbers at once (10 ms of event time apart), then
 * has no data for {@code idleMillis} of wall time while it stays open with its watermark held at
 * its last record, and then ends (watermark at the end of time). The records at the start make
 * the keyed stages run and hold state, so the idle batches after them are the per-batch cost of
 * a pipeline that has work in flight but nothing new to read. The idle period starts when the
 * reader is created (on the driver, where unbounded sources are read).
 */
public final class IdleUnboundedSource extends UnboundedSource<Long, IdleUnboundedSource.Mark> {
  private static final long START_MILLIS = 1_700_000_000_000L;

  private final long warm;
  private final long idleMillis;
  private final long first;
  private final long stride;

  /** {@code warm} numbers, then {@code idleMillis} without data, then the end. */
  public IdleUnboundedSource(long warm, long idleMillis) {
    this(warm, idleMillis, 0, 1);
  }

  private IdleUnboundedSource(long warm, long idleMillis, long first, long stride) {
    this.warm = warm;
    this.idleMillis = idleMillis;
    this.first = first;
    this.stride = stride;
  }

  /** The next number a split reads. */
  public record Mark(long next) implements UnboundedSource.CheckpointMark, Serializable {
    @Override
    public void finalizeCheckpoint() {}
  }

  @Override
  public List<IdleUnboundedSource> split(int desiredNumSplits, PipelineOptions options) {
    List<IdleUnboundedSource> splits = new ArrayList<>();
    for (int s = 0; s < desiredNumSplits; s++) {
      splits.add(new IdleUnboundedSource(
          warm, idleMillis, first + s * stride, stride * desiredNumSplits));
    }
    return splits;
  }

  @Override
  public UnboundedReader<Long> createReader(PipelineOptions options, @Nullable Mark mark) {
    return new Reader(this, mark == null ? first : mark.next());
  }

  @Override
  public Coder<Mark> getCheckpointMarkCoder() {
    return SerializableCoder.of(Mark.class);
  }

  @Override
  public Coder<Long> getOutputCoder() {
    return VarLongCoder.of();
  }

  private static final class Reader extends UnboundedReader<Long> {
    private final IdleUnboundedSource source;
    private final long idleUntil;
    private long next;
    private Long current;

    Reader(IdleUnboundedSource source, long next) {
      this.source = source;
      this.next = next;
      this.idleUntil = System.currentTimeMillis() + source.idleMillis;
    }

    @Override
    public boolean start() {
      return advance();
    }

    @Override
    public boolean advance() {
      if (next >= source.warm) {
        current = null;
        return false;
      }
      current = next;
      next += source.stride;
      return true;
    }

    @Override
    public Long getCurrent() {
      if (current == null) {
        throw new NoSuchElementException();
      }
      return current;
    }

    @Override
    public Instant getCurrentTimestamp() {
      return new Instant(START_MILLIS + getCurrent() * 10);
    }

    @Override
    public Instant getWatermark() {
      if (next >= source.warm && System.currentTimeMillis() >= idleUntil) {
        return BoundedWindow.TIMESTAMP_MAX_VALUE;
      }
      // Held just before the next number (or the last one read, while idle): windows stay open.
      return new Instant(START_MILLIS + Math.min(next, source.warm) * 10 - 1);
    }

    @Override
    public CheckpointMark getCheckpointMark() {
      return new Mark(next);
    }

    @Override
    public UnboundedSource<Long, ?> getCurrentSource() {
      return source;
    }

    @Override
    public void close() {}
  }
}
