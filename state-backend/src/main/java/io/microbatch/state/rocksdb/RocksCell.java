package io.microbatch.state.rocksdb;

import java.util.Arrays;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.util.CoderUtils;

/**
 * What every RocksDB-backed state cell shares: the store and the cell's key prefix. Two cells are
 * equal when they address the same entries of the same store, so a state handed out twice for one
 * (namespace, tag) compares equal, as runners-core expects of cached state.
 */
abstract class RocksCell {
  static final byte[] EMPTY = new byte[0];

  final RocksDbStore store;
  final byte[] prefix;

  RocksCell(RocksDbStore store, byte[] prefix) {
    this.store = store;
    this.prefix = prefix;
  }

  static <T> byte[] encode(Coder<T> coder, T value) {
    try {
      return CoderUtils.encodeToByteArray(coder, value);
    } catch (CoderException e) {
      throw new IllegalArgumentException("Cannot encode state value with " + coder, e);
    }
  }

  static <T> T decode(Coder<T> coder, byte[] bytes) {
    try {
      return CoderUtils.decodeFromByteArray(coder, bytes);
    } catch (CoderException e) {
      throw new IllegalStateException("Cannot decode state value with " + coder, e);
    }
  }

  static <T> T decode(Coder<T> coder, byte[] bytes, int offset, int length) {
    return decode(coder, Arrays.copyOfRange(bytes, offset, offset + length));
  }

  /** The entry key {@code prefix | suffix}. */
  byte[] entryKey(byte[] suffix) {
    return KeyLayout.concat(prefix, suffix);
  }

  boolean anyEntry() {
    return store.hasPrefix(Column.STATE, prefix);
  }

  void clearEntries() {
    store.deletePrefix(Column.STATE, prefix);
  }

  @Override
  public boolean equals(Object other) {
    return other != null
        && other.getClass() == getClass()
        && ((RocksCell) other).store == store
        && Arrays.equals(((RocksCell) other).prefix, prefix);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(prefix);
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "@" + store.directory();
  }
}
