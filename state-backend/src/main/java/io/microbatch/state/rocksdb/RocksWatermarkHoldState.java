package io.microbatch.state.rocksdb;

import org.apache.beam.sdk.coders.InstantCoder;
import org.apache.beam.sdk.state.ReadableState;
import org.apache.beam.sdk.state.WatermarkHoldState;
import org.apache.beam.sdk.transforms.windowing.TimestampCombiner;
import org.joda.time.Instant;

/**
 * {@link WatermarkHoldState}: the combined hold at the cell prefix, mirrored in the hold index
 * ({@code hold timestamp | cell prefix}) so that the partition's earliest hold is the index's first
 * key. Every change of the hold moves its index entry in the same batch.
 */
final class RocksWatermarkHoldState extends RocksCell implements WatermarkHoldState {
  private final TimestampCombiner combiner;
  private final IndexHead holdHead;

  RocksWatermarkHoldState(
      RocksDbStore store, byte[] prefix, TimestampCombiner combiner, IndexHead holdHead) {
    super(store, prefix);
    this.combiner = combiner;
    this.holdHead = holdHead;
  }

  private byte[] indexKey(Instant hold) {
    return KeyLayout.concat(KeyLayout.sortableTimestamp(hold), prefix);
  }

  @Override
  public void add(Instant value) {
    Instant current = read();
    Instant combined = current == null ? value : combiner.combine(current, value);
    if (combined.equals(current)) {
      return;
    }
    if (current != null) {
      store.delete(Column.HOLD_INDEX, indexKey(current));
    }
    store.put(Column.STATE, prefix, encode(InstantCoder.of(), combined));
    byte[] indexKey = indexKey(combined);
    store.put(Column.HOLD_INDEX, indexKey, EMPTY);
    holdHead.inserted(indexKey);
  }

  @Override
  public Instant read() {
    byte[] bytes = store.get(Column.STATE, prefix);
    return bytes == null ? null : decode(InstantCoder.of(), bytes);
  }

  @Override
  public ReadableState<Boolean> isEmpty() {
    return new LazyRead<>(() -> store.get(Column.STATE, prefix) == null);
  }

  @Override
  public TimestampCombiner getTimestampCombiner() {
    return combiner;
  }

  @Override
  public WatermarkHoldState readLater() {
    return this;
  }

  @Override
  public void clear() {
    Instant current = read();
    if (current != null) {
      store.delete(Column.HOLD_INDEX, indexKey(current));
      store.delete(Column.STATE, prefix);
    }
  }
}
