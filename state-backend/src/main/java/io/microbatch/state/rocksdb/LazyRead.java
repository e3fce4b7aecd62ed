package io.microbatch.state.rocksdb;

import java.util.function.Supplier;
import org.apache.beam.sdk.state.ReadableState;

/** A {@link ReadableState} that reads the store when {@code read()} is called, not before. */
final class LazyRead<T> implements ReadableState<T> {
  private final Supplier<T> reader;

  LazyRead(Supplier<T> reader) {
    this.reader = reader;
  }

  @Override
  public T read() {
    return reader.get();
  }

  @Override
  public ReadableState<T> readLater() {
    return this;
  }
}
