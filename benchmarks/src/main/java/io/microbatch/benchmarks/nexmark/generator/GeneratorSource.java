package io.microbatch.benchmarks.nexmark.generator;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.io.BoundedSource;
import org.apache.beam.sdk.options.PipelineOptions;
import org.joda.time.Instant;

/**
 * A bounded Beam source over the index range {@code [from, to)} of an {@link ElementGenerator};
 * elements carry the generator's event times. Splits are index sub-ranges, so the elements do not
 * depend on how a runner splits the source.
 */
public final class GeneratorSource<T> extends BoundedSource<T> {
  private static final long BYTES_PER_ELEMENT = 32;
  private final ElementGenerator<T> generator;
  private final long from;
  private final long to;

  private GeneratorSource(ElementGenerator<T> generator, long from, long to) {
    this.generator = generator;
    this.from = from;
    this.to = to;
  }

  /** All {@code generator.config().count()} elements. */
  public static <T> GeneratorSource<T> of(ElementGenerator<T> generator) {
    return new GeneratorSource<>(generator, 0, generator.config().count());
  }

  @Override
  public List<GeneratorSource<T>> split(long desiredBundleSizeBytes, PipelineOptions options) {
    long perBundle = Math.max(1, desiredBundleSizeBytes / BYTES_PER_ELEMENT);
    List<GeneratorSource<T>> splits = new ArrayList<>();
    for (long start = from; start < to; start += perBundle) {
      splits.add(new GeneratorSource<>(generator, start, Math.min(to, start + perBundle)));
    }
    if (splits.isEmpty()) {
      splits.add(this);
    }
    return splits;
  }

  @Override
  public long getEstimatedSizeBytes(PipelineOptions options) {
    return (to - from) * BYTES_PER_ELEMENT;
  }

  @Override
  public BoundedReader<T> createReader(PipelineOptions options) {
    return new Reader<>(this);
  }

  @Override
  public Coder<T> getOutputCoder() {
    return generator.coder();
  }

  /** Reads one index range. */
  private static final class Reader<T> extends BoundedReader<T> {
    private final GeneratorSource<T> source;
    private final ElementGenerator<T> generator;
    private long next;
    private T current;
    private long currentTime;

    Reader(GeneratorSource<T> source) {
      this.source = source;
      this.generator = source.generator.copy();
      this.next = source.from;
    }

    @Override
    public boolean start() {
      return advance();
    }

    @Override
    public boolean advance() {
      if (next >= source.to) {
        current = null;
        return false;
      }
      current = generator.element(next);
      currentTime = generator.config().timestamp(next);
      next++;
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
    public void close() {}

    @Override
    public BoundedSource<T> getCurrentSource() {
      return source;
    }
  }
}
