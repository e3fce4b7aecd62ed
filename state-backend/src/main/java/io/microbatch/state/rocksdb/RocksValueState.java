package io.microbatch.state.rocksdb;

import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.state.ValueState;

/** {@link ValueState}: one entry at the cell prefix; writing null clears it. */
final class RocksValueState<T> extends RocksCell implements ValueState<T> {
  private final Coder<T> coder;

  RocksValueState(RocksDbStore store, byte[] prefix, Coder<T> coder) {
    super(store, prefix);
    this.coder = coder;
  }

  @Override
  public void write(T input) {
    if (input == null) {
      clear();
    } else {
      store.put(Column.STATE, prefix, encode(coder, input));
    }
  }

  @Override
  public T read() {
    byte[] bytes = store.get(Column.STATE, prefix);
    return bytes == null ? null : decode(coder, bytes);
  }

  @Override
  public ValueState<T> readLater() {
    return this;
  }

  @Override
  public void clear() {
    store.delete(Column.STATE, prefix);
  }
}
