package io.microbatch.checkpoint;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
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
 * {@link CheckpointFiles} on a Hadoop {@link FileSystem} (HDFS, object stores ...). On object
 * stores a file is written under its final name in one upload (it becomes visible whole, when the
 * upload completes: there is no atomic rename to rely on); elsewhere it is written to a hidden
 * temporary name in the same directory and renamed.
 */
final class HadoopCheckpointFiles extends CheckpointFiles {
  /** Schemes whose rename is a copy: publish by writing the final name directly. */
  private static final Set<String> OBJECT_STORES =
      Set.of("s3a", "s3", "s3n", "gs", "oss", "cos", "cosn", "obs", "wasb", "wasbs", "abfs",
          "abfss");
  private static final int BUFFER = 1 << 16;

  private final FileSystem fs;
  private final boolean directWrites;

  HadoopCheckpointFiles(FileSystem fs) {
    super(fs);
    this.fs = fs;
    this.directWrites = OBJECT_STORES.contains(fs.getScheme().toLowerCase(Locale.ROOT));
  }

  @Override
  void publish(Path target, byte[] bytes) throws IOException {
    Path out = directWrites ? target : temporary(target);
    try {
      try (FSDataOutputStream stream = fs.create(out, true)) {
        stream.write(bytes);
        if (stream.hasCapability(StreamCapabilities.HSYNC)) {
          stream.hsync();
        }
      }
      if (!directWrites) {
        moveIntoPlace(out, target);
      }
    } catch (IOException | RuntimeException e) {
      discardTemporary(out, target, e);
      throw e;
    }
  }

  @Override
  long upload(java.nio.file.Path local, Path target) throws IOException {
    Path out = directWrites ? target : temporary(target);
    CRC32 crc = new CRC32();
    byte[] buffer = new byte[BUFFER];
    try {
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
    } catch (IOException | RuntimeException e) {
      discardTemporary(out, target, e);
      throw e;
    }
    return crc.getValue();
  }

  @Override
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

  @Override
  byte[] readIfExists(Path file) throws IOException {
    try (FSDataInputStream in = fs.open(file)) {
      return in.readAllBytes();
    } catch (FileNotFoundException e) {
      return null;
    }
  }

  @Override
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

  @Override
  List<FileStatus> listFilesRecursively(Path dir) throws IOException {
    List<FileStatus> result = new ArrayList<>();
    try {
      // One flat listing on object stores, instead of one request per directory.
      RemoteIterator<LocatedFileStatus> it = fs.listFiles(dir, true);
      while (it.hasNext()) {
        result.add(it.next());
      }
    } catch (FileNotFoundException e) {
      // nothing there yet
    }
    return result;
  }

  @Override
  void delete(Path path, boolean recursive) throws IOException {
    fs.delete(path, recursive);
  }

  private static Path temporary(Path target) {
    return new Path(target.getParent(), temporaryName(target.getName()));
  }

  /** A failed write must not leave its temporary behind for the next listing to collect. */
  private void discardTemporary(Path out, Path target, Exception failure) {
    if (out.equals(target)) {
      return;
    }
    try {
      fs.delete(out, false);
    } catch (IOException | RuntimeException e) {
      failure.addSuppressed(e);
    }
  }

  private void moveIntoPlace(Path temporary, Path target) throws IOException {
    if (fs.rename(temporary, target)) {
      return;
    }
    // HDFS refuses to rename over an existing file: replace it (the caller decided to overwrite).
    fs.delete(target, false);
    if (!fs.rename(temporary, target)) {
      throw new IOException("Could not rename " + temporary + " to " + target);
    }
  }
}
