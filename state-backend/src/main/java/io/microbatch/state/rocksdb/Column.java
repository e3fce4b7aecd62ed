package io.microbatch.state.rocksdb;

import java.nio.charset.StandardCharsets;
import org.rocksdb.RocksDB;

/**
 * The column families of a partition's database. State cells and timers live apart from the
 * indexes over them, so each index is a short, time-ordered key space that is read from its first
 * key, never by scanning the state.
 */
enum Column {
  /** Bookkeeping of the store itself (the sequence counter of bags and ordered lists). */
  META(new String(RocksDB.DEFAULT_COLUMN_FAMILY, StandardCharsets.UTF_8), false),
  /** Every state cell: {@code key | namespace | state id [| suffix]} to coder-encoded bytes. */
  STATE("state", true),
  /** Timers by identity: {@code key | namespace | timer id | family} to the timer record. */
  TIMERS("timers", true),
  /** Due-time index: {@code domain | timestamp | timer identity} to the timer record. */
  TIMER_INDEX("timer-index", false),
  /** Output-time index: {@code output timestamp | timer identity}, empty values. */
  TIMER_OUTPUT_INDEX("timer-output-index", false),
  /** Watermark hold index: {@code hold timestamp | cell prefix}, empty values. */
  HOLD_INDEX("hold-index", false);

  final String familyName;
  /** Point reads dominate (bloom filters pay off, larger write buffers). */
  final boolean pointReads;

  Column(String familyName, boolean pointReads) {
    this.familyName = familyName;
    this.pointReads = pointReads;
  }

  byte[] nameBytes() {
    return familyName.getBytes(StandardCharsets.UTF_8);
  }
}
