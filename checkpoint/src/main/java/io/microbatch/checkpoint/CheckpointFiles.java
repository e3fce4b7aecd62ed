package io.microbatch.checkpoint;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.zip.CRC32;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.fs.StreamCapabilities;

/**
 * Publishes and reads files on one Hadoop {@link FileSystem}. On object stores a file is written
 * under its final name in one upload (it becomes visible whole, when the upload completes: there
 * is no atomic rename to rely on); elsewhere it is written to a hidden temporary name in the same
 * directory and renamed. Readers accept either: they never see temporary files, and every file
 * they read is verified by its header or the manifest, so a torn file is detected, not misread.
 */
final class CheckpointFiles {
  /** Schemes whose rename is a copy: publish by writing the final name directly. */
  private static final Set<String> OBJECT_STORES =
      Set.of("s3a", "s3", "s3n", "gs", "oss", "cos", "cosn", "obs", "wasb", "wasbs", "abfs",
          "abfss");
  private static final int BUFFER = 1 << 16;

  private final FileSystem fs;
  private final boolean directWrites;

  CheckpointFiles(FileSystem fs) {
    this.fs = fs;
    this.directWrites = OBJECT_STORES.contains(fs.getScheme().toLowerCase(java.util.Locale.ROOT));
  }

  FileSystem fileSystem() {
    return fs;
  }

  boolean directWrites() {
    return directWrites;
  }

  /** Writes {@code bytes} as {@code target}, replacing it; visible whole or not at all. */
  void publish(Path target, byte[] bytes) throws IOException {
    Path out = directWrites ? target : temporary(target);
    try (FSDataOutputStream stream = fs.create(out, true)) {
      stream.write(bytes);
      if (stream.hasCapability(StreamCapabilities.HSYNC)) {
        stream.hsync();
      }
    }
    if (!directWrites) {
      moveIntoPlace(out, target);
    }
  }

  /**
   * Copies a local file to {@code target} and returns the CRC32 of the bytes sent, so the caller
   * can check that the file did not change while it was read.
   */
  long upload(java.nio.file.Path local, Path target) throws IOException {
    Path out = directWrites ? target : temporary(target);
    CRC32 crc = new CRC32();
    byte[] buffer = new byte[BUFFER];
    try (InputStream in = java.nio.file.Files.newInputStream(local);
        FSDataOutputStream stream = fs.create(out, true)) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        crc.update(buffer, 0, n);
        stream.write(buffer, 0, n);
      }
    }
    if (!directWrites) {
      moveIntoPlace(out, target);
    }
    return crc.getValue();
  }

  /** Copies {@code source} to a local file and returns the CRC32 of the bytes received. */
  long download(Path source, java.nio.file.Path local) throws IOException {
    CRC32 crc = new CRC32();
    byte[] buffer = new byte[BUFFER];
    try (FSDataInputStream in = fs.open(source);
        OutputStream out = java.nio.file.Files.newOutputStream(local)) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        crc.update(buffer, 0, n);
        out.write(buffer, 0, n);
      }
    }
    return crc.getValue();
  }

  /** The whole file, or null if it does not exist. */
  byte[] readIfExists(Path file) throws IOException {
    try (FSDataInputStream in = fs.open(file)) {
      return in.readAllBytes();
    } catch (FileNotFoundException e) {
      return null;
    }
  }

  /** The published (non-temporary) entries directly under {@code dir}; empty if it is missing. */
  List<FileStatus> list(Path dir) throws IOException {
    List<FileStatus> result = new ArrayList<>();
    FileStatus[] entries;
    try {
      entries = fs.listStatus(dir);
    } catch (FileNotFoundException e) {
      return result;
    }
    for (FileStatus status : entries) {
      if (!isTemporary(status.getPath().getName())) {
        result.add(status);
      }
    }
    return result;
  }

  /** Every file below {@code dir}, temporary ones included; empty if it is missing. */
  List<LocatedFileStatus> listFilesRecursively(Path dir) throws IOException {
    List<LocatedFileStatus> result = new ArrayList<>();
    try {
      RemoteIterator<LocatedFileStatus> it = fs.listFiles(dir, true);
      while (it.hasNext()) {
        result.add(it.next());
      }
    } catch (FileNotFoundException e) {
      // nothing there yet
    }
    return result;
  }

  void delete(Path path, boolean recursive) throws IOException {
    fs.delete(path, recursive);
  }

  static boolean isTemporary(String name) {
    return name.startsWith(".") || name.startsWith("_") || name.endsWith(".tmp");
  }

  private static Path temporary(Path target) {
    return new Path(target.getParent(), "." + target.getName() + "." + UUID.randomUUID() + ".tmp");
  }

  private void moveIntoPlace(Path temporary, Path target) throws IOException {
    if (fs.rename(temporary, target)) {
      return;
    }
    // HDFS refuses to rename over an existing file: replace it (the caller decided to overwrite).
    fs.delete(target, false);
    if (!fs.rename(temporary, target)) {
      fs.delete(temporary, false);
      throw new IOException("Could not rename " + temporary + " to " + target);
    }
  }
}
