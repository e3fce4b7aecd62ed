package io.microbatch.examples;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.io.UnboundedSource;
import org.apache.beam.sdk.options.PipelineOptions;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * An endless stream of generated events ("click", "view", "buy") at a steady rate, some of them
 * out of order. Event {@code i} is due {@code i / eventsPerSecond} seconds after the reader
 * started, and its event time is that moment, except that every tenth event (index 3 mod 10) is
 * {@value #SLIGHTLY_LATE_MILLIS} ms older, still ahead of the watermark, and every tenth event
 * (index 7 mod 10) is {@value #LATE_MILLIS} ms older, behind the watermark: late data. The
 * watermark trails the due time of the next event by {@value #WATERMARK_LAG_MILLIS} ms. Split into
 * n sources, the i-th reads every n-th event.
 */
public final class OutOfOrderEventSource
    extends UnboundedSource<String, OutOfOrderEventSource.Position> {
  static final long SLIGHTLY_LATE_MILLIS = 600;
  static final long LATE_MILLIS = 4_000;
  static final long WATERMARK_LAG_MILLIS = 1_000;
  private static final String[] KINDS = {"click", "view", "buy"};

  private final long eventsPerSecond;
  private final long first;
  private final long stride;

  /** A source of {@code eventsPerSecond} events per second in total. */
  public OutOfOrderEventSource(long eventsPerSecond) {
    this(eventsPerSecond, 0, 1);
  }

  private OutOfOrderEventSource(long eventsPerSecond, long first, long stride) {
    if (eventsPerSecond <= 0) {
      throw new IllegalArgumentException("eventsPerSecond must be positive, was " + eventsPerSecond);
    }
    this.eventsPerSecond = eventsPerSecond;
    this.first = first;
    this.stride = stride;
  }

  @Override
  public List<OutOfOrderEventSource> split(int desiredNumSplits, PipelineOptions options) {
    int n = Math.max(1, desiredNumSplits);
    List<OutOfOrderEventSource> splits = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      splits.add(new OutOfOrderEventSource(eventsPerSecond, first + i * stride, stride * n));
    }
    return splits;
  }

  @Override
  public UnboundedReader<String> createReader(PipelineOptions options, Position checkpointMark) {
    return checkpointMark == null
        ? new Reader(Instant.now(), first)
        : new Reader(checkpointMark.started, checkpointMark.next);
  }

  @Override
  public Coder<Position> getCheckpointMarkCoder() {
    return new PositionCoder();
  }

  @Override
  public Coder<String> getOutputCoder() {
    return StringUtf8Coder.of();
  }

  /** Where a reader is: when it started and the index of the next event it will read. */
  public static final class Position implements UnboundedSource.CheckpointMark {
    private final Instant started;
    private final long next;

    Position(Instant started, long next) {
      this.started = started;
      this.next = next;
    }

    @Override
    public void finalizeCheckpoint() {
      // Generated events need no acknowledgement.
    }
  }

  /** Encodes a position as two variable-length longs. */
  static final class PositionCoder extends CustomCoder<Position> {
    @Override
    public void encode(Position position, OutputStream out) throws IOException {
      VarLongCoder.of().encode(position.started.getMillis(), out);
      VarLongCoder.of().encode(position.next, out);
    }

    @Override
    public Position decode(InputStream in) throws IOException {
      return new Position(new Instant(VarLongCoder.of().decode(in)), VarLongCoder.of().decode(in));
    }
  }

  private final class Reader extends UnboundedReader<String> {
    private final Instant started;
    private long next;
    private long current = -1;

    Reader(Instant started, long next) {
      this.started = started;
      this.next = next;
    }

    private Instant dueTime(long index) {
      return started.plus(Duration.millis(index * 1000 / eventsPerSecond));
    }

    @Override
    public boolean start() {
      return advance();
    }

    @Override
    public boolean advance() {
      if (dueTime(next).isAfter(Instant.now())) {
        return false;
      }
      current = next;
      next += stride;
      return true;
    }

    @Override
    public String getCurrent() {
      if (current < 0) {
        throw new NoSuchElementException();
      }
      return KINDS[(int) (current % KINDS.length)];
    }

    @Override
    public Instant getCurrentTimestamp() {
      if (current < 0) {
        throw new NoSuchElementException();
      }
      long delay =
          current % 10 == 7 ? LATE_MILLIS : current % 10 == 3 ? SLIGHTLY_LATE_MILLIS : 0;
      return dueTime(current).minus(Duration.millis(delay));
    }

    @Override
    public Instant getWatermark() {
      return dueTime(next).minus(Duration.millis(WATERMARK_LAG_MILLIS));
    }

    @Override
    public Position getCheckpointMark() {
      return new Position(started, next);
    }

    @Override
    public UnboundedSource<String, ?> getCurrentSource() {
      return OutOfOrderEventSource.this;
    }

    @Override
    public void close() {}
  }
}
