package io.microbatch.state.rocksdb;

import java.util.Arrays;

/**
 * Remembers a key below which an index has no live entry. The time-ordered indexes are used like
 * queues: their first entry is read, then deleted, so their head fills with tombstones that every
 * seek from the start would step over again until compaction removes them. Seeking from this key
 * instead skips them. Inserting below it lowers it; an aborted batch (whose deletes come back)
 * resets it to the start.
 */
final class IndexHead {
  private final byte[] start;
  private byte[] cursor;

  /** {@code start}: where the index (or its part, e.g. one domain) begins; null for the start. */
  IndexHead(byte[] start) {
    this.start = start;
  }

  byte[] seekFrom() {
    return cursor == null ? start : cursor;
  }

  void inserted(byte[] key) {
    if (cursor != null && Arrays.compareUnsigned(key, cursor) < 0) {
      cursor = key;
    }
  }

  /** {@code key} is the first live entry at or after {@link #seekFrom()}. */
  void foundFirst(byte[] key) {
    cursor = key;
  }

  void reset() {
    cursor = null;
  }
}
