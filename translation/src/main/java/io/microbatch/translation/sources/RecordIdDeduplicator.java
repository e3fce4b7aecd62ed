package io.microbatch.translation.sources;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Drops records whose id was seen recently, for sources that may deliver a record more than once
 * ({@code UnboundedSource#requiresDeduping()}). The window is bounded by count: the last
 * {@code capacity} distinct ids of the source, over all its splits; an id older than that is
 * forgotten and a repeat of it passes. The ids live in memory only, so a restarted pipeline
 * starts with an empty window. Safe for the splits' concurrent tasks.
 */
final class RecordIdDeduplicator {
  private final Map<ByteBuffer, Boolean> recent;

  RecordIdDeduplicator(int capacity) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("capacity must be positive, was " + capacity);
    }
    this.recent =
        new LinkedHashMap<>(16, 0.75f, false) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<ByteBuffer, Boolean> eldest) {
            return size() > capacity;
          }
        };
  }

  /** True the first time an id is offered within the window; false for a repeat. */
  synchronized boolean firstSeen(byte[] recordId) {
    return recent.putIfAbsent(ByteBuffer.wrap(recordId.clone()), Boolean.TRUE) == null;
  }
}
