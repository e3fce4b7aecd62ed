package io.microbatch.spark.pipelines;

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
 * An unbounded source (read through the runner's long-lived unbounded readers) of the numbers
 * {@code 0..count-1}, number {@code n} at event time {@code start + n * stepMillis}. Split {@code
 * s} of {@code k} reads {@code s, s+k, s+2k, ...}; its watermark is its last record's timestamp,
 * and the end of time once it read all of its numbers, so a streaming pipeline over it ends. Its
 * checkpoint mark is the next number to read, so a reader resumed from a mark reads on from there.
 * With an idle time, a reader that read all of its numbers stays open with its watermark held
 * just before its next number until that much wall time passed since it was created (a stream
 * with state in flight and nothing new to read, for the per-batch overhead benchmark).
 */
public final class FiniteUnboundedSource
    extends UnboundedSource<Long, FiniteUnboundedSource.Mark> {
  private final long count;
  private final long first;
  private final long stride;
  private final long startMillis;
  private final long stepMillis;
  private final long idleMillis;

  public FiniteUnboundedSource(long count, Instant start, long stepMillis) {
    this(count, start, stepMillis, 0);
  }

  /** Ends only {@code idleMillis} after each reader was created, even once all was read. */
  public FiniteUnboundedSource(long count, Instant start, long stepMillis, long idleMillis) {
    this(count, 0, 1, start.getMillis(), stepMillis, idleMillis);
  }

  private FiniteUnboundedSource(long count, long first, long stride, long startMillis,
      long stepMillis, long idleMillis) {
    this.count = count;
    this.first = first;
    this.stride = stride;
    this.startMillis = startMillis;
    this.stepMillis = stepMillis;
    this.idleMillis = idleMillis;
  }

  /** Where a split's reader is: the next number it reads. */
  public record Mark(long next) implements UnboundedSource.CheckpointMark, Serializable {
    @Override
    public void finalizeCheckpoint() {}
  }

  @Override
  public List<FiniteUnboundedSource> split(int desiredNumSplits, PipelineOptions options) {
    List<FiniteUnboundedSource> splits = new ArrayList<>();
    for (int s = 0; s < desiredNumSplits; s++) {
      splits.add(new FiniteUnboundedSource(count, first + s * stride, stride * desiredNumSplits,
          startMillis, stepMillis, idleMillis));
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
    private final FiniteUnboundedSource source;
    private final long idleUntil;
    private long next;
    private Long current;

    Reader(FiniteUnboundedSource source, long next) {
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
      if (next >= source.count) {
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
      return new Instant(source.startMillis + getCurrent() * source.stepMillis);
    }

    @Override
    public Instant getWatermark() {
      if (next >= source.count && System.currentTimeMillis() >= idleUntil) {
        return BoundedWindow.TIMESTAMP_MAX_VALUE;
      }
      // Everything before the next number was read; later numbers of this split come after it.
      long reached = Math.min(next, source.count);
      return new Instant(source.startMillis + reached * source.stepMillis - 1);
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
