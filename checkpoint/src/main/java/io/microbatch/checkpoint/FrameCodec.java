package io.microbatch.checkpoint;

import java.nio.ByteBuffer;
import java.util.zip.CRC32;

/**
 * The envelope of every checkpoint metadata file (log entries, job metadata, snapshot manifests):
 * a 16-byte header of magic {@code MBCK}, format version (2 bytes), file kind (1 byte), a reserved
 * byte, payload length (4 bytes) and the CRC32 of header fields and payload, then the payload. A
 * torn, truncated, extended or foreign file fails {@link #decode} instead of being misread.
 */
final class FrameCodec {
  static final int FORMAT_VERSION = 1;
  static final int HEADER_BYTES = 16;
  private static final int MAGIC = 0x4D42434B; // "MBCK"

  /** What a file holds; stored in the header so one kind is never read as another. */
  enum Kind {
    OFFSETS(1),
    COMMIT(2),
    METADATA(3),
    MANIFEST(4);

    final byte code;

    Kind(int code) {
      this.code = (byte) code;
    }
  }

  /** A file that cannot be decoded; the message says why. */
  static final class InvalidFrameException extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidFrameException(String message) {
      super(message);
    }
  }

  private FrameCodec() {}

  static byte[] encode(Kind kind, byte[] payload) {
    ByteBuffer buf = ByteBuffer.allocate(HEADER_BYTES + payload.length);
    buf.putInt(MAGIC).putShort((short) FORMAT_VERSION).put(kind.code).put((byte) 0)
        .putInt(payload.length);
    buf.putInt((int) checksum(buf.array(), payload));
    buf.put(payload);
    return buf.array();
  }

  static byte[] decode(Kind kind, byte[] file) throws InvalidFrameException {
    if (file.length < HEADER_BYTES) {
      throw new InvalidFrameException(
          "truncated: " + file.length + " bytes, shorter than the " + HEADER_BYTES + "-byte header");
    }
    ByteBuffer buf = ByteBuffer.wrap(file);
    if (buf.getInt() != MAGIC) {
      throw new InvalidFrameException("not a MicroBatch checkpoint file (bad magic)");
    }
    int version = buf.getShort() & 0xFFFF;
    if (version != FORMAT_VERSION) {
      throw new InvalidFrameException("format version " + version + ", expected " + FORMAT_VERSION);
    }
    byte code = buf.get();
    if (code != kind.code) {
      throw new InvalidFrameException("holds file kind " + code + ", expected " + kind);
    }
    buf.get();
    int length = buf.getInt();
    int storedCrc = buf.getInt();
    if (length < 0 || file.length != HEADER_BYTES + length) {
      throw new InvalidFrameException("length mismatch: header says " + length
          + " payload bytes, file has " + (file.length - HEADER_BYTES));
    }
    byte[] payload = new byte[length];
    buf.get(payload);
    if ((int) checksum(file, payload) != storedCrc) {
      throw new InvalidFrameException("CRC32 mismatch");
    }
    return payload;
  }

  /** CRC32 over the header's first 12 bytes (magic .. length) and the payload. */
  private static long checksum(byte[] header, byte[] payload) {
    CRC32 crc = new CRC32();
    crc.update(header, 0, 12);
    crc.update(payload);
    return crc.getValue();
  }
}
