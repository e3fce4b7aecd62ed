package io.microbatch.runner.recovery;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.io.UnboundedSource;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.joda.time.Instant;

/**
 * A test source: the numbers 0..count-1, the i-th at event time i ms, in one split, resumable from
 * its checkpoint mark (the next number); its watermark reaches the end of time after the last.
 */
public final class ResumableCountingSource
    extends UnboundedSource<Long, ResumableCountingSource.Position> {
  private final long count;

  public ResumableCountingSource(long count) {
    this.count = count;
  }

  /** The next number to read. */
  public record Position(long next) implements UnboundedSource.CheckpointMark {
    @Override
    public void finalizeCheckpoint() {}
  }

  /** Encodes a position as its next number. */
  static final class PositionCoder extends AtomicCoder<Position> {
    @Override
    public void encode(Position value, OutputStream out) throws IOException {
      VarLongCoder.of().encode(value.next(), out);
    }

    @Override
    public Position decode(InputStream in) throws IOException {
      return new Position(VarLongCoder.of().decode(in));
    }
  }

  @Override
  public List<ResumableCountingSource> split(int desiredNumSplits, PipelineOptions options) {
    return List.of(this);
  }

  @Override
  public UnboundedReader<Long> createReader(PipelineOptions options, Position mark) {
    return new Reader(mark == null ? 0 : mark.next());
  }

  @Override
  public Coder<Position> getCheckpointMarkCoder() {
    return new PositionCoder();
  }

  @Override
  public Coder<Long> getOutputCoder() {
    return VarLongCoder.of();
  }

  private final class Reader extends UnboundedReader<Long> {
    private long next;
    private long current = -1;

    Reader(long next) {
      this.next = next;
    }

    @Override
    public boolean start() {
      return advance();
    }

    @Override
    public boolean advance() {
      if (next >= count) {
        return false;
      }
      current = next++;
      return true;
    }

    @Override
    public Long getCurrent() {
      if (current < 0) {
        throw new NoSuchElementException();
      }
      return current;
    }

    @Override
    public Instant getCurrentTimestamp() {
      return new Instant(getCurrent());
    }

    @Override
    public Instant getWatermark() {
      return next >= count ? BoundedWindow.TIMESTAMP_MAX_VALUE : new Instant(Math.max(0, next - 1));
    }

    @Override
    public Position getCheckpointMark() {
      return new Position(next);
    }

    @Override
    public UnboundedSource<Long, ?> getCurrentSource() {
      return ResumableCountingSource.this;
    }

    @Override
    public void close() {}
  }
}
