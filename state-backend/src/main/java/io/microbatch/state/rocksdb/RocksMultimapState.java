package io.microbatch.state.rocksdb;

import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.state.MultimapState;
import org.apache.beam.sdk.state.ReadableState;

/**
 * {@link MultimapState}: one entry per put, {@code prefix | length-prefixed encoded key |
 * sequence}, so the values of one key are a contiguous range in the order they were put, and a
 * put is a blind write.
 */
final class RocksMultimapState<K, V> extends RocksCell implements MultimapState<K, V> {
  private final Coder<K> keyCoder;
  private final Coder<V> valueCoder;
  private final SequenceCounter sequence;

  RocksMultimapState(RocksDbStore store, byte[] prefix, Coder<K> keyCoder, Coder<V> valueCoder,
      SequenceCounter sequence) {
    super(store, prefix);
    this.keyCoder = keyCoder;
    this.valueCoder = valueCoder;
    this.sequence = sequence;
  }

  private byte[] keyPrefix(K key) {
    return KeyLayout.withLengthPrefixed(prefix, encode(keyCoder, key));
  }

  @Override
  public void put(K key, V value) {
    store.put(Column.STATE,
        KeyLayout.concat(keyPrefix(key), KeyLayout.bigEndian(sequence.next())),
        encode(valueCoder, value));
  }

  @Override
  public ReadableState<Iterable<V>> get(K key) {
    return new LazyRead<>(() -> {
      List<V> values = new ArrayList<>();
      store.scanPrefix(Column.STATE, keyPrefix(key),
          (entryKey, value) -> values.add(decode(valueCoder, value)));
      return Collections.unmodifiableList(values);
    });
  }

  @Override
  public void remove(K key) {
    store.deletePrefix(Column.STATE, keyPrefix(key));
  }

  /** The encoded map key of an entry key. */
  private byte[] encodedKeyOf(byte[] entryKey) {
    return KeyLayout.parseComponents(entryKey, prefix.length, 1)[0];
  }

  @Override
  public ReadableState<Iterable<K>> keys() {
    return new LazyRead<>(() -> {
      List<K> keys = new ArrayList<>();
      byte[][] last = {null};
      store.scanPrefix(Column.STATE, prefix, (entryKey, value) -> {
        byte[] encoded = encodedKeyOf(entryKey);
        if (last[0] == null || !Arrays.equals(last[0], encoded)) {
          keys.add(decode(keyCoder, encoded));
          last[0] = encoded;
        }
        return true;
      });
      return Collections.unmodifiableList(keys);
    });
  }

  @Override
  public ReadableState<Iterable<Map.Entry<K, V>>> entries() {
    return new LazyRead<>(() -> {
      List<Map.Entry<K, V>> entries = new ArrayList<>();
      store.scanPrefix(Column.STATE, prefix, (entryKey, value) -> entries.add(
          new SimpleImmutableEntry<>(
              decode(keyCoder, encodedKeyOf(entryKey)), decode(valueCoder, value))));
      return Collections.unmodifiableList(entries);
    });
  }

  @Override
  public ReadableState<Boolean> containsKey(K key) {
    return new LazyRead<>(() -> store.hasPrefix(Column.STATE, keyPrefix(key)));
  }

  @Override
  public ReadableState<Boolean> isEmpty() {
    return new LazyRead<>(() -> !anyEntry());
  }

  @Override
  public void clear() {
    clearEntries();
  }
}
