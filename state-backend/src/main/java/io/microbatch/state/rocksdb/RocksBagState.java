package io.microbatch.state.rocksdb;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.state.BagState;
import org.apache.beam.sdk.state.ReadableState;

/**
 * {@link BagState}: one entry per element, {@code prefix | sequence}, so an append is a blind write
 * (no read of the bag) and a read returns elements in the order they were added.
 */
final class RocksBagState<T> extends RocksCell implements BagState<T> {
  private final Coder<T> coder;
  private final SequenceCounter sequence;

  RocksBagState(RocksDbStore store, byte[] prefix, Coder<T> coder, SequenceCounter sequence) {
    super(store, prefix);
    this.coder = coder;
    this.sequence = sequence;
  }

  @Override
  public void add(T value) {
    store.put(Column.STATE, entryKey(KeyLayout.bigEndian(sequence.next())), encode(coder, value));
  }

  @Override
  public Iterable<T> read() {
    List<T> values = new ArrayList<>();
    store.scanPrefix(Column.STATE, prefix, (key, value) -> values.add(decode(coder, value)));
    return Collections.unmodifiableList(values);
  }

  @Override
  public ReadableState<Boolean> isEmpty() {
    return new LazyRead<>(() -> !anyEntry());
  }

  @Override
  public BagState<T> readLater() {
    return this;
  }

  @Override
  public void clear() {
    clearEntries();
  }
}
