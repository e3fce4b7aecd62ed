package io.microbatch.state.rocksdb;

import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.state.MapState;
import org.apache.beam.sdk.state.ReadableState;
import org.apache.beam.sdk.state.ReadableStates;

/**
 * {@link MapState}: one entry per map key, {@code prefix | encoded key} to the encoded value. Reads
 * happen when {@code read()} is called (they see writes made after the lookup was created);
 * {@code computeIfAbsent} reads at once because it writes.
 */
final class RocksMapState<K, V> extends RocksCell implements MapState<K, V> {
  private final Coder<K> keyCoder;
  private final Coder<V> valueCoder;

  RocksMapState(RocksDbStore store, byte[] prefix, Coder<K> keyCoder, Coder<V> valueCoder) {
    super(store, prefix);
    this.keyCoder = keyCoder;
    this.valueCoder = valueCoder;
  }

  private byte[] keyOf(K key) {
    return entryKey(encode(keyCoder, key));
  }

  private V lookup(K key) {
    byte[] bytes = store.get(Column.STATE, keyOf(key));
    return bytes == null ? null : decode(valueCoder, bytes);
  }

  @Override
  public void put(K key, V value) {
    store.put(Column.STATE, keyOf(key), encode(valueCoder, value));
  }

  @Override
  public ReadableState<V> computeIfAbsent(K key, Function<? super K, ? extends V> mapping) {
    V existing = lookup(key);
    if (existing == null) {
      put(key, mapping.apply(key));
    }
    return ReadableStates.immediate(existing);
  }

  @Override
  public void remove(K key) {
    store.delete(Column.STATE, keyOf(key));
  }

  @Override
  public ReadableState<V> get(K key) {
    return new LazyRead<>(() -> lookup(key));
  }

  @Override
  public ReadableState<V> getOrDefault(K key, V defaultValue) {
    return new LazyRead<>(() -> {
      V value = lookup(key);
      return value == null ? defaultValue : value;
    });
  }

  private List<Map.Entry<K, V>> readEntries() {
    List<Map.Entry<K, V>> entries = new ArrayList<>();
    int offset = prefix.length;
    store.scanPrefix(Column.STATE, prefix, (key, value) -> entries.add(
        new SimpleImmutableEntry<>(
            decode(keyCoder, key, offset, key.length - offset), decode(valueCoder, value))));
    return entries;
  }

  @Override
  public ReadableState<Iterable<K>> keys() {
    return new LazyRead<>(() -> {
      List<K> keys = new ArrayList<>();
      int offset = prefix.length;
      store.scanPrefix(Column.STATE, prefix,
          (key, value) -> keys.add(decode(keyCoder, key, offset, key.length - offset)));
      return Collections.unmodifiableList(keys);
    });
  }

  @Override
  public ReadableState<Iterable<V>> values() {
    return new LazyRead<>(() -> {
      List<V> values = new ArrayList<>();
      store.scanPrefix(Column.STATE, prefix,
          (key, value) -> values.add(decode(valueCoder, value)));
      return Collections.unmodifiableList(values);
    });
  }

  @Override
  public ReadableState<Iterable<Map.Entry<K, V>>> entries() {
    return new LazyRead<>(() -> Collections.unmodifiableList(readEntries()));
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
