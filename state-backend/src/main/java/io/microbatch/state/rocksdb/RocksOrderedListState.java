package io.microbatch.state.rocksdb;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.state.OrderedListState;
import org.apache.beam.sdk.state.ReadableState;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Instant;

/**
 * {@link OrderedListState}: one entry per element, {@code prefix | sortable timestamp | sequence},
 * so the key order is timestamp order (insertion order among equal timestamps), and a range read
 * or range clear touches only the entries in the range.
 */
final class RocksOrderedListState<T> extends RocksCell implements OrderedListState<T> {
  private final Coder<T> coder;
  private final SequenceCounter sequence;

  RocksOrderedListState(
      RocksDbStore store, byte[] prefix, Coder<T> coder, SequenceCounter sequence) {
    super(store, prefix);
    this.coder = coder;
    this.sequence = sequence;
  }

  private byte[] bound(Instant timestamp) {
    return entryKey(KeyLayout.sortableTimestamp(timestamp));
  }

  @Override
  public void add(TimestampedValue<T> value) {
    store.put(Column.STATE,
        KeyLayout.concat(prefix, KeyLayout.sortableTimestamp(value.getTimestamp()),
            KeyLayout.bigEndian(sequence.next())),
        encode(coder, value.getValue()));
  }

  @Override
  public Iterable<TimestampedValue<T>> readRange(Instant minTimestamp, Instant limitTimestamp) {
    if (!minTimestamp.isBefore(limitTimestamp)) {
      return Collections.emptyList();
    }
    return collect(bound(minTimestamp), bound(limitTimestamp));
  }

  @Override
  public Iterable<TimestampedValue<T>> read() {
    return collect(prefix, KeyLayout.prefixEnd(prefix));
  }

  private List<TimestampedValue<T>> collect(byte[] from, byte[] until) {
    List<TimestampedValue<T>> values = new ArrayList<>();
    int offset = prefix.length;
    store.scan(Column.STATE, from, until, (key, value) -> values.add(
        TimestampedValue.of(decode(coder, value),
            new Instant(KeyLayout.readSortableLong(key, offset)))));
    return Collections.unmodifiableList(values);
  }

  @Override
  public void clearRange(Instant minTimestamp, Instant limitTimestamp) {
    if (minTimestamp.isBefore(limitTimestamp)) {
      store.deleteRange(Column.STATE, bound(minTimestamp), bound(limitTimestamp));
    }
  }

  @Override
  public OrderedListState<T> readRangeLater(Instant minTimestamp, Instant limitTimestamp) {
    return this;
  }

  @Override
  public ReadableState<Boolean> isEmpty() {
    return new LazyRead<>(() -> !anyEntry());
  }

  @Override
  public OrderedListState<T> readLater() {
    return this;
  }

  @Override
  public void clear() {
    clearEntries();
  }
}
