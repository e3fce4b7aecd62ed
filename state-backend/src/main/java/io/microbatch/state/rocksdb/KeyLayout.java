package io.microbatch.state.rocksdb;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.joda.time.Instant;

/**
 * Builds and parses the byte keys of the store. Every variable-length component is written as a
 * varint length followed by its bytes, so a composite prefix can never be the prefix of another
 * composite with different components (no "ab|c" versus "a|bc" collisions). Timestamps are 8 bytes
 * big-endian with the sign bit flipped, so that unsigned byte order is time order.
 */
final class KeyLayout {
  static final int TIMESTAMP_BYTES = 8;
  static final int SEQUENCE_BYTES = 8;

  private KeyLayout() {}

  /**
   * {@code key | namespace | state id}: the prefix of every entry of one state cell; {@code
   * namespace} is the UTF-8 bytes of the namespace's string key ({@link NamespaceKeys}).
   */
  static byte[] cellPrefix(byte[] userKey, byte[] namespace, String stateId) {
    byte[] id = stateId.getBytes(StandardCharsets.UTF_8);
    Writer w = new Writer(userKey.length + namespace.length + id.length + 15);
    w.lengthPrefixed(userKey);
    w.lengthPrefixed(namespace);
    w.lengthPrefixed(id);
    return w.toByteArray();
  }

  /**
   * {@code key | namespace | timer id | family id}: a timer's identity; {@code namespace} as in
   * {@link #cellPrefix(byte[], byte[], String)}.
   */
  static byte[] timerId(byte[] userKey, byte[] namespace, String timerId, String familyId) {
    byte[] timer = timerId.getBytes(StandardCharsets.UTF_8);
    byte[] family = familyId.getBytes(StandardCharsets.UTF_8);
    Writer w = new Writer(userKey.length + namespace.length + timer.length + family.length + 20);
    w.lengthPrefixed(userKey);
    w.lengthPrefixed(namespace);
    w.lengthPrefixed(timer);
    w.lengthPrefixed(family);
    return w.toByteArray();
  }

  /** The components of a {@link #timerId} key, in order. */
  static byte[][] parseComponents(byte[] bytes, int offset, int count) {
    byte[][] parts = new byte[count][];
    int[] pos = {offset};
    for (int i = 0; i < count; i++) {
      int length = readVarInt(bytes, pos);
      parts[i] = Arrays.copyOfRange(bytes, pos[0], pos[0] + length);
      pos[0] += length;
    }
    return parts;
  }

  static byte[] concat(byte[]... parts) {
    int length = 0;
    for (byte[] part : parts) {
      length += part.length;
    }
    byte[] out = new byte[length];
    int pos = 0;
    for (byte[] part : parts) {
      System.arraycopy(part, 0, out, pos, part.length);
      pos += part.length;
    }
    return out;
  }

  /** {@code prefix | length-prefixed bytes}. */
  static byte[] withLengthPrefixed(byte[] prefix, byte[] component) {
    Writer w = new Writer(prefix.length + component.length + 5);
    w.raw(prefix);
    w.lengthPrefixed(component);
    return w.toByteArray();
  }

  static byte[] sortableTimestamp(Instant instant) {
    return sortableLong(instant.getMillis());
  }

  static byte[] sortableLong(long value) {
    return bigEndian(value ^ Long.MIN_VALUE);
  }

  static long readSortableLong(byte[] bytes, int offset) {
    return readBigEndian(bytes, offset) ^ Long.MIN_VALUE;
  }

  static byte[] bigEndian(long value) {
    byte[] out = new byte[8];
    for (int i = 7; i >= 0; i--) {
      out[i] = (byte) value;
      value >>>= 8;
    }
    return out;
  }

  static long readBigEndian(byte[] bytes, int offset) {
    long value = 0;
    for (int i = 0; i < 8; i++) {
      value = (value << 8) | (bytes[offset + i] & 0xFF);
    }
    return value;
  }

  /**
   * The smallest key greater than every key starting with {@code prefix}, or {@code null} when no
   * such key exists (the prefix is all 0xFF).
   */
  static byte[] prefixEnd(byte[] prefix) {
    for (int i = prefix.length - 1; i >= 0; i--) {
      if (prefix[i] != (byte) 0xFF) {
        byte[] end = Arrays.copyOf(prefix, i + 1);
        end[i]++;
        return end;
      }
    }
    return null;
  }

  static boolean startsWith(byte[] bytes, byte[] prefix) {
    return bytes.length >= prefix.length
        && Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
  }

  static int readVarInt(byte[] bytes, int[] pos) {
    int result = 0;
    int shift = 0;
    while (true) {
      byte b = bytes[pos[0]++];
      result |= (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return result;
      }
      shift += 7;
    }
  }

  /** An unsynchronized byte buffer with the two component writers above. */
  static final class Writer extends ByteArrayOutputStream {
    Writer(int size) {
      super(size);
    }

    void raw(byte[] bytes) {
      write(bytes, 0, bytes.length);
    }

    void varInt(int value) {
      while ((value & ~0x7F) != 0) {
        write((value & 0x7F) | 0x80);
        value >>>= 7;
      }
      write(value);
    }

    void lengthPrefixed(byte[] bytes) {
      varInt(bytes.length);
      raw(bytes);
    }
  }
}
