package io.microbatch.state.rocksdb;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.state.ReadableState;
import org.apache.beam.sdk.state.ReadableStates;
import org.apache.beam.sdk.state.SetState;

/**
 * {@link SetState}: one entry per element, {@code prefix | encoded element} with an empty value,
 * so membership is a point read and elements are equal when their encodings are.
 */
final class RocksSetState<T> extends RocksCell implements SetState<T> {
  private final Coder<T> coder;

  RocksSetState(RocksDbStore store, byte[] prefix, Coder<T> coder) {
    super(store, prefix);
    this.coder = coder;
  }

  private byte[] keyOf(T value) {
    return entryKey(encode(coder, value));
  }

  @Override
  public ReadableState<Boolean> contains(T value) {
    return ReadableStates.immediate(store.get(Column.STATE, keyOf(value)) != null);
  }

  @Override
  public ReadableState<Boolean> addIfAbsent(T value) {
    byte[] key = keyOf(value);
    boolean absent = store.get(Column.STATE, key) == null;
    if (absent) {
      store.put(Column.STATE, key, EMPTY);
    }
    return ReadableStates.immediate(absent);
  }

  @Override
  public void remove(T value) {
    store.delete(Column.STATE, keyOf(value));
  }

  @Override
  public void add(T value) {
    store.put(Column.STATE, keyOf(value), EMPTY);
  }

  @Override
  public Iterable<T> read() {
    List<T> values = new ArrayList<>();
    int offset = prefix.length;
    store.scanPrefix(Column.STATE, prefix,
        (key, value) -> values.add(decode(coder, key, offset, key.length - offset)));
    return Collections.unmodifiableList(values);
  }

  @Override
  public ReadableState<Boolean> isEmpty() {
    return new LazyRead<>(() -> !anyEntry());
  }

  @Override
  public SetState<T> readLater() {
    return this;
  }

  @Override
  public void clear() {
    clearEntries();
  }
}
