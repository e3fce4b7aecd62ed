package io.microbatch.engine.checkpoint;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.joda.time.Instant;

/**
 * What one batch read, as the write-ahead log keeps it: the processing time the batch was frozen
 * at and, per source step, the extent its splits read ({@code BatchSource.batchExtent}). Replaying
 * a batch with the same extents and time from the same checkpoint reproduces its output.
 *
 * @param processingTime the batch's frozen processing time
 * @param extents per source step name, the source's extent; a source that cannot replay is absent
 */
public record BatchLogEntry(Instant processingTime, Map<String, byte[]> extents) {
  private static final int VERSION = 1;

  public BatchLogEntry {
    extents = Map.copyOf(extents);
  }

  public byte[] encode() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(VERSION);
      out.writeLong(processingTime.getMillis());
      // Sorted so that the same batch always encodes to the same bytes (the log is write-once).
      Map<String, byte[]> sorted = new java.util.TreeMap<>(extents);
      out.writeInt(sorted.size());
      for (Map.Entry<String, byte[]> extent : sorted.entrySet()) {
        out.writeUTF(extent.getKey());
        out.writeInt(extent.getValue().length);
        out.write(extent.getValue());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** Decodes an entry; fails naming the batch if it was not written by this engine version. */
  public static BatchLogEntry decode(long batchId, byte[] encoded) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(encoded))) {
      int version = in.readInt();
      if (version != VERSION) {
        throw new IllegalStateException("The log entry of batch " + batchId + " has format "
            + version + "; this runner reads format " + VERSION);
      }
      Instant time = new Instant(in.readLong());
      int n = in.readInt();
      Map<String, byte[]> extents = new LinkedHashMap<>();
      for (int i = 0; i < n; i++) {
        String step = in.readUTF();
        byte[] extent = new byte[in.readInt()];
        in.readFully(extent);
        extents.put(step, extent);
      }
      return new BatchLogEntry(time, extents);
    } catch (IOException e) {
      throw new IllegalStateException("The log entry of batch " + batchId + " is unreadable", e);
    }
  }
}
