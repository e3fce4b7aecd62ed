package io.microbatch.state;

import java.util.Arrays;

/**
 * An encoded user key: the bytes a deterministic key coder produced. Keys are compared, hashed and
 * grouped by these bytes, never by the user object's {@code equals}, as Beam requires.
 */
public final class ByteKey implements Comparable<ByteKey> {
  private final byte[] bytes;
  private final int hash;

  private ByteKey(byte[] bytes) {
    this.bytes = bytes;
    this.hash = Arrays.hashCode(bytes);
  }

  /** Wraps the given bytes; the caller must not modify them afterwards. */
  public static ByteKey of(byte[] bytes) {
    return new ByteKey(bytes);
  }

  public byte[] bytes() {
    return bytes;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ByteKey that && hash == that.hash && Arrays.equals(bytes, that.bytes);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public int compareTo(ByteKey other) {
    return Arrays.compareUnsigned(bytes, other.bytes);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("ByteKey[");
    for (int i = 0; i < Math.min(bytes.length, 32); i++) {
      sb.append(String.format("%02x", bytes[i]));
    }
    return sb.append(bytes.length > 32 ? "...]" : "]").toString();
  }
}
