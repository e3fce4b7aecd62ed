package io.microbatch.benchmarks.latency;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.io.UnboundedSource;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * An unbounded source of events arriving at a fixed rate on the wall clock, like a topic a producer
 * appends to: event {@code g} (from 0) arrives at {@code start + g / rate}, whether or not anyone
 * reads it, and a reader can only read events that have arrived. Each event is {@code KV(g, arrival
 * in epoch microseconds)} with its arrival as event timestamp, and the watermark is the arrival of the
 * next event to read, so event time follows the wall clock and any latency measured downstream is the
 * runner's, not the data's. Split {@code k} of {@code n} reads events {@code k, k+n, k+2n, ...}.
 */
public final class RateSource extends UnboundedSource<KV<Long, Long>, RateSource.NextEvent> {
  private final double eventsPerSecond;
  /** Arrival of event 0 in epoch microseconds; 0 until the source is split (or read unsplit). */
  private final long startMicros;
  private final long first;
  private final long stride;

  private RateSource(double eventsPerSecond, long startMicros, long first, long stride) {
    this.eventsPerSecond = eventsPerSecond;
    this.startMicros = startMicros;
    this.first = first;
    this.stride = stride;
  }

  /** Events at {@code eventsPerSecond}, the first arriving when the runner splits the source. */
  public static RateSource of(double eventsPerSecond) {
    if (!(eventsPerSecond > 0)) {
      throw new IllegalArgumentException("eventsPerSecond must be > 0, got " + eventsPerSecond);
    }
    return new RateSource(eventsPerSecond, 0, 0, 1);
  }

  /** Arrival of event {@code g} in epoch microseconds. */
  static long arrivalMicros(long startMicros, double eventsPerSecond, long g) {
    return startMicros + (long) (g * 1_000_000.0 / eventsPerSecond);
  }

  /** The checkpoint: the index (within the split) of the next event to read. */
  public record NextEvent(long next) implements UnboundedSource.CheckpointMark, Serializable {
    @Override
    public void finalizeCheckpoint() {}
  }

  @Override
  public List<RateSource> split(int desiredNumSplits, PipelineOptions options) {
    // Every split shares one start, fixed here (pipeline start), so their events interleave in time.
    long start = startMicros != 0 ? startMicros : WallClock.nowMicros();
    int n = Math.max(1, desiredNumSplits);
    List<RateSource> splits = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      splits.add(new RateSource(eventsPerSecond, start, first + k * stride, stride * n));
    }
    return splits;
  }

  @Override
  public UnboundedReader<KV<Long, Long>> createReader(PipelineOptions options, @Nullable NextEvent mark) {
    RateSource started = startMicros != 0 ? this : new RateSource(eventsPerSecond, WallClock.nowMicros(), first, stride);
    return new Reader(started, mark == null ? 0 : mark.next());
  }

  @Override
  public Coder<NextEvent> getCheckpointMarkCoder() {
    return SerializableCoder.of(TypeDescriptor.of(NextEvent.class));
  }

  @Override
  public Coder<KV<Long, Long>> getOutputCoder() {
    return KvCoder.of(VarLongCoder.of(), VarLongCoder.of());
  }

  /** Reads one split: whatever has arrived by now, then reports nothing until the next arrival. */
  private static final class Reader extends UnboundedReader<KV<Long, Long>> {
    private final RateSource source;
    private long next;
    private @Nullable KV<Long, Long> current;

    Reader(RateSource source, long next) {
      this.source = source;
      this.next = next;
    }

    private long index(long j) {
      return source.first + j * source.stride;
    }

    private long arrival(long j) {
      return arrivalMicros(source.startMicros, source.eventsPerSecond, index(j));
    }

    @Override
    public boolean start() {
      return advance();
    }

    @Override
    public boolean advance() {
      long arrival = arrival(next);
      if (arrival > WallClock.nowMicros()) {
        current = null;
        return false;
      }
      current = KV.of(index(next), arrival);
      next++;
      return true;
    }

    @Override
    public KV<Long, Long> getCurrent() {
      if (current == null) {
        throw new NoSuchElementException();
      }
      return current;
    }

    @Override
    public Instant getCurrentTimestamp() {
      return new Instant(getCurrent().getValue() / 1_000);
    }

    @Override
    public Instant getWatermark() {
      // Every event not yet read arrives no earlier than the next one, and its timestamp is its arrival.
      return new Instant(arrival(next) / 1_000);
    }

    @Override
    public NextEvent getCheckpointMark() {
      return new NextEvent(next);
    }

    @Override
    public UnboundedSource<KV<Long, Long>, ?> getCurrentSource() {
      return source;
    }

    @Override
    public void close() {}
  }
}
