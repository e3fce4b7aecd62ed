package io.microbatch.checkpoint;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The list of files of one state snapshot: per partition, each file's local name, size and CRC32.
 * A file's name in the shared store is derived from all three ({@link #sharedName}), so a file is
 * stored once however many snapshots list it.
 */
record SnapshotManifest(long batchId, Map<String, List<FileEntry>> partitions) {
  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*");
  private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  /** One file of a partition's snapshot. */
  record FileEntry(String name, long size, long crc32) {
    /** The name of this file's copy under {@code state/shared/<partition>/}. */
    String sharedName() {
      return name + "." + size + "." + String.format("%08x", crc32);
    }
  }

  SnapshotManifest {
    partitions = new LinkedHashMap<>(partitions);
  }

  /**
   * Partition names become relative paths ({@code stage-3/partition-1}): one or more segments of
   * letters, digits, dots, dashes and underscores, none starting with a dot (the names {@code
   * StateBackend.partitionPath} gives).
   */
  static void checkPartitionName(String partition) {
    for (String segment : partition.split("/", -1)) {
      if (!SEGMENT.matcher(segment).matches()) {
        throw new IllegalArgumentException("Partition name '" + partition
            + "' must be '/'-separated segments of [A-Za-z0-9._-] not starting with '.'");
      }
    }
  }

  static void checkFileName(String name) {
    if (!FILE_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("Snapshot file name '" + name + "' is not a plain name");
    }
  }

  long totalBytes() {
    return partitions.values().stream().flatMap(List::stream).mapToLong(FileEntry::size).sum();
  }

  byte[] encode() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeLong(batchId);
      out.writeInt(partitions.size());
      for (Map.Entry<String, List<FileEntry>> partition : partitions.entrySet()) {
        JobFingerprint.writeString(out, partition.getKey());
        out.writeInt(partition.getValue().size());
        for (FileEntry file : partition.getValue()) {
          JobFingerprint.writeString(out, file.name());
          out.writeLong(file.size());
          out.writeInt((int) file.crc32());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static SnapshotManifest decode(byte[] payload) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload));
    long batchId = in.readLong();
    int partitionCount = in.readInt();
    Map<String, List<FileEntry>> partitions = new LinkedHashMap<>();
    for (int p = 0; p < partitionCount; p++) {
      String partition = JobFingerprint.readString(in);
      int fileCount = in.readInt();
      if (fileCount < 0 || fileCount > payload.length) {
        throw new IOException("Bad file count " + fileCount);
      }
      List<FileEntry> files = new ArrayList<>(fileCount);
      for (int f = 0; f < fileCount; f++) {
        files.add(new FileEntry(JobFingerprint.readString(in), in.readLong(),
            Integer.toUnsignedLong(in.readInt())));
      }
      partitions.put(partition, files);
    }
    if (in.available() != 0) {
      throw new IOException("Trailing bytes after the manifest");
    }
    return new SnapshotManifest(batchId, partitions);
  }
}
