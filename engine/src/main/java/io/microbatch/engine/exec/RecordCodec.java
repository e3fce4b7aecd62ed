package io.microbatch.engine.exec;

import io.microbatch.state.ByteKey;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.WindowedValue;

/**
 * Records on the wire to and from remote executors: each element encoded with its dataset's Beam
 * coder (value, timestamp, windows and pane), length-prefixed, never Java-serialized.
 */
final class RecordCodec {
  private RecordCodec() {}

  static byte[] encodeElements(Coder<WindowedValue<?>> coder, List<WindowedValue<?>> elements)
      throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(elements.size());
    for (WindowedValue<?> element : elements) {
      writeBytes(out, CoderUtils.encodeToByteArray(coder, element));
    }
    out.flush();
    return bytes.toByteArray();
  }

  static List<WindowedValue<?>> decodeElements(Coder<WindowedValue<?>> coder, byte[] encoded)
      throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(encoded));
    int count = in.readInt();
    List<WindowedValue<?>> elements = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      elements.add(CoderUtils.decodeFromByteArray(coder, readBytes(in)));
    }
    return elements;
  }

  static byte[] encodeRecords(Coder<WindowedValue<?>> coder, List<ShuffleRecord> records)
      throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(records.size());
    for (ShuffleRecord record : records) {
      writeBytes(out, record.key().bytes());
      writeBytes(out, CoderUtils.encodeToByteArray(coder, record.element()));
    }
    out.flush();
    return bytes.toByteArray();
  }

  static List<ShuffleRecord> decodeRecords(Coder<WindowedValue<?>> coder, byte[] encoded)
      throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(encoded));
    int count = in.readInt();
    List<ShuffleRecord> records = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      ByteKey key = ByteKey.of(readBytes(in));
      records.add(new ShuffleRecord(key, CoderUtils.decodeFromByteArray(coder, readBytes(in))));
    }
    return records;
  }

  private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  private static byte[] readBytes(DataInputStream in) throws IOException {
    byte[] bytes = new byte[in.readInt()];
    in.readFully(bytes);
    return bytes;
  }
}
