package io.microbatch.state.rocksdb;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.rocksdb.AbstractWriteBatch;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDBException;

/**
 * The newest uncommitted writes of a partition's batch, per column, in sorted maps on the heap. A
 * write is a map insert instead of a call into RocksDB's native write batch, writes to one key
 * within a batch collapse into one entry (a timer set and fired in the same batch leaves one
 * delete), and reading back what the batch wrote stays in Java. Keys and values are kept by
 * reference: callers hand over arrays they no longer change, and must not change what they read.
 */
final class PendingWrites {
  /** The value of a deleted key; compared by reference, never handed out. */
  static final byte[] TOMBSTONE = new byte[0];

  // Per entry beyond its arrays' contents: the tree node and two array headers.
  private static final int ENTRY_OVERHEAD_BYTES = 80;

  private final Map<Column, TreeMap<byte[], byte[]>> columns = new EnumMap<>(Column.class);
  private int entries;
  private long bytes;

  PendingWrites() {
    for (Column column : Column.values()) {
      columns.put(column, new TreeMap<>(Arrays::compareUnsigned));
    }
  }

  /** The pending value of {@code key}: null if the batch did not write it, {@link #TOMBSTONE}. */
  byte[] get(Column column, byte[] key) {
    return columns.get(column).get(key);
  }

  void put(Column column, byte[] key, byte[] value) {
    byte[] previous = columns.get(column).put(key, value);
    if (previous == null) {
      entries++;
      bytes += key.length + value.length + ENTRY_OVERHEAD_BYTES;
    } else {
      bytes += value.length - previous.length;
    }
  }

  void delete(Column column, byte[] key) {
    put(column, key, TOMBSTONE);
  }

  /** The pending entries with {@code from <= key < until}, tombstones included; null is open. */
  NavigableMap<byte[], byte[]> range(Column column, byte[] from, byte[] until) {
    TreeMap<byte[], byte[]> all = columns.get(column);
    if (from == null) {
      return until == null ? all : all.headMap(until, false);
    }
    if (until == null) {
      return all.tailMap(from, true);
    }
    // An empty range, as a scan may ask for (e.g. an index head already past the limit).
    if (Arrays.compareUnsigned(from, until) >= 0) {
      return Collections.emptyNavigableMap();
    }
    return all.subMap(from, true, until, false);
  }

  /** Number of pending keys (each written or deleted at least once). */
  int size() {
    return entries;
  }

  /** Estimated heap held by the pending entries. */
  long bytes() {
    return bytes;
  }

  /** Appends every pending entry, in key order per column, to {@code batch}. */
  void writeTo(AbstractWriteBatch batch, Map<Column, ColumnFamilyHandle> handles)
      throws RocksDBException {
    for (Map.Entry<Column, TreeMap<byte[], byte[]>> column : columns.entrySet()) {
      ColumnFamilyHandle handle = handles.get(column.getKey());
      for (Map.Entry<byte[], byte[]> entry : column.getValue().entrySet()) {
        if (entry.getValue() == TOMBSTONE) {
          batch.delete(handle, entry.getKey());
        } else {
          batch.put(handle, entry.getKey(), entry.getValue());
        }
      }
    }
  }

  void clear() {
    columns.values().forEach(TreeMap::clear);
    entries = 0;
    bytes = 0;
  }
}
