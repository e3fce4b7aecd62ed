package io.microbatch.state.rocksdb;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * The first entries of one domain's due-time index, read ahead by one scan so that firing a run
 * of timers does not open an iterator per timer. It mirrors the index exactly for every key below
 * {@link #exactBelow()}: the owner adds each entry it writes below that bound and removes each it
 * deletes, and forgets everything when the batch ends (commit or abort).
 */
final class DueReadAhead {
  /** Entries one scan reads ahead. */
  static final int ENTRIES = 256;

  private TreeMap<byte[], byte[]> entries = new TreeMap<>(Arrays::compareUnsigned);
  // Null while nothing was read ahead; otherwise no index key below it is missing from entries.
  private byte[] exactBelow;

  boolean isFilled() {
    return exactBelow != null;
  }

  /**
   * Starts over with what a scan of the index up to {@code until} (exclusive) returned: all of it
   * if it returned fewer than {@link #ENTRIES}, else its first {@link #ENTRIES} in key order.
   * Takes {@code scanned} over (ordered by {@link Arrays#compareUnsigned}), no copy.
   */
  void fill(TreeMap<byte[], byte[]> scanned, byte[] until) {
    entries = scanned;
    // Past the last entry read, the scan stopped early: the next key could be anything above it.
    exactBelow = scanned.size() < ENTRIES ? until : KeyLayout.concat(scanned.lastKey(), new byte[1]);
  }

  /** The key below which the entries are exact; only when filled. */
  byte[] exactBelow() {
    return exactBelow;
  }

  /** The smallest entry, or null; only when filled. */
  Map.Entry<byte[], byte[]> first() {
    return entries.firstEntry();
  }

  /** The index gained {@code key}: mirrored when it falls where the entries are exact. */
  void inserted(byte[] key, byte[] value) {
    if (exactBelow != null && Arrays.compareUnsigned(key, exactBelow) < 0) {
      entries.put(key, value);
    }
  }

  /** The index lost {@code key}. */
  void deleted(byte[] key) {
    if (exactBelow != null) {
      entries.remove(key);
    }
  }

  void clear() {
    entries.clear();
    exactBelow = null;
  }
}
