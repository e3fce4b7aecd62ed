package io.microbatch.benchmarks.nexmark.generator;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.io.UnboundedSource;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * The same elements as {@link GeneratorSource}, as an unbounded source for streaming mode: split
 * {@code k} of {@code n} reads indices {@code k, k+n, k+2n, ...}, so every split's event time moves
 * at the same pace. A split's watermark is the event time of its next element, and the end of time
 * once it has read all of them, which ends the pipeline.
 */
public final class GeneratorUnboundedSource<T>
    extends UnboundedSource<T, GeneratorUnboundedSource.NextIndex> {
  private final ElementGenerator<T> generator;
  private final long first;
  private final long stride;

  private GeneratorUnboundedSource(ElementGenerator<T> generator, long first, long stride) {
    this.generator = generator;
    this.first = first;
    this.stride = stride;
  }

  public static <T> GeneratorUnboundedSource<T> of(ElementGenerator<T> generator) {
    return new GeneratorUnboundedSource<>(generator, 0, 1);
  }

  /** The checkpoint: the next index a split reads. */
  public record NextIndex(long next) implements UnboundedSource.CheckpointMark, Serializable {
    @Override
    public void finalizeCheckpoint() {}
  }

  @Override
  public List<GeneratorUnboundedSource<T>> split(int desiredNumSplits, PipelineOptions options) {
    int n = Math.max(1, desiredNumSplits);
    List<GeneratorUnboundedSource<T>> splits = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      splits.add(new GeneratorUnboundedSource<>(generator, first + k * stride, stride * n));
    }
    return splits;
  }

  @Override
  public UnboundedReader<T> createReader(PipelineOptions options, @Nullable NextIndex mark) {
    return new Reader<>(this, mark == null ? first : mark.next());
  }

  @Override
  public Coder<NextIndex> getCheckpointMarkCoder() {
    return SerializableCoder.of(TypeDescriptor.of(NextIndex.class));
  }

  @Override
  public Coder<T> getOutputCoder() {
    return generator.coder();
  }

  /** Reads one split. */
  private static final class Reader<T> extends UnboundedReader<T> {
    private final GeneratorUnboundedSource<T> source;
    private final ElementGenerator<T> generator;
    private final long count;
    private long next;
    private T current;
    private long currentTime;

    Reader(GeneratorUnboundedSource<T> source, long next) {
      this.source = source;
      this.generator = source.generator.copy();
      this.count = generator.config().count();
      this.next = next;
    }

    @Override
    public boolean start() {
      return advance();
    }

    @Override
    public boolean advance() {
      if (next >= count) {
        current = null;
        return false;
      }
      current = generator.element(next);
      currentTime = generator.config().timestamp(next);
      next += source.stride;
      return true;
    }

    @Override
    public T getCurrent() {
      if (current == null) {
        throw new NoSuchElementException();
      }
      return current;
    }

    @Override
    public Instant getCurrentTimestamp() {
      if (current == null) {
        throw new NoSuchElementException();
      }
      return new Instant(currentTime);
    }

    @Override
    public Instant getWatermark() {
      return next >= count
          ? BoundedWindow.TIMESTAMP_MAX_VALUE
          : new Instant(generator.config().timestamp(next));
    }

    @Override
    public NextIndex getCheckpointMark() {
      return new NextIndex(next);
    }

    @Override
    public UnboundedSource<T, ?> getCurrentSource() {
      return source;
    }

    @Override
    public void close() {}
  }
}
