package io.microbatch.state.rocksdb;

import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.values.CausedByDrain;
import org.joda.time.Instant;

/**
 * The stored form of a timer's mutable part: {@code domain | timestamp | output timestamp | drain
 * flag | namespace code}, fixed-size big-endian fields. Its identity (key, namespace, ids) is the
 * entry's key.
 */
record TimerRecord(
    TimeDomain domain, Instant timestamp, Instant outputTimestamp, CausedByDrain causedByDrain,
    int namespaceCode) {
  private static final int SIZE = 1 + 8 + 8 + 1 + 4;

  /** A stable one-byte code per domain, used in records and as the due-index's first byte. */
  static byte domainCode(TimeDomain domain) {
    return switch (domain) {
      case EVENT_TIME -> 0;
      case PROCESSING_TIME -> 1;
      case SYNCHRONIZED_PROCESSING_TIME -> 2;
    };
  }

  static TimeDomain domainOf(byte code) {
    return switch (code) {
      case 0 -> TimeDomain.EVENT_TIME;
      case 1 -> TimeDomain.PROCESSING_TIME;
      case 2 -> TimeDomain.SYNCHRONIZED_PROCESSING_TIME;
      default -> throw new IllegalStateException("Unknown time domain code " + code);
    };
  }

  byte[] encode() {
    byte[] out = new byte[SIZE];
    out[0] = domainCode(domain);
    System.arraycopy(KeyLayout.sortableTimestamp(timestamp), 0, out, 1, 8);
    System.arraycopy(KeyLayout.sortableTimestamp(outputTimestamp), 0, out, 9, 8);
    out[17] = (byte) (causedByDrain == CausedByDrain.CAUSED_BY_DRAIN ? 1 : 0);
    out[18] = (byte) (namespaceCode >>> 24);
    out[19] = (byte) (namespaceCode >>> 16);
    out[20] = (byte) (namespaceCode >>> 8);
    out[21] = (byte) namespaceCode;
    return out;
  }

  static TimerRecord decode(byte[] bytes) {
    if (bytes.length != SIZE) {
      throw new IllegalStateException("Corrupt timer record of " + bytes.length + " bytes");
    }
    int code = ((bytes[18] & 0xFF) << 24) | ((bytes[19] & 0xFF) << 16)
        | ((bytes[20] & 0xFF) << 8) | (bytes[21] & 0xFF);
    return new TimerRecord(
        domainOf(bytes[0]),
        new Instant(KeyLayout.readSortableLong(bytes, 1)),
        new Instant(KeyLayout.readSortableLong(bytes, 9)),
        bytes[17] == 1 ? CausedByDrain.CAUSED_BY_DRAIN : CausedByDrain.NORMAL,
        code);
  }
}
