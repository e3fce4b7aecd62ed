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
import org.apache.hadoop.fs.FSDataOutputStreamBuilder;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.fs.StreamCapabilities;

/**
 * {@link CheckpointFiles} on a Hadoop {@link FileSystem} (HDFS, object stores ...). On object
 * stores a file is written under its final name in one upload (it becomes visible whole, when the
 * upload completes: there is no atomic rename to rely on, s3a's rename is a copy); elsewhere
 * {@link #publish} writes to a hidden temporary name in the same directory, {@code hsync}s and
 * renames, so that log entries, metadata and manifests are durable before anyone relies on them
 * and never seen half written.
 *
 * <p>{@link #upload} writes the final name directly everywhere: a shared snapshot file's name
 * carries its size and CRC32, and it is relied upon only through a manifest written after its
 * upload closed, so a torn copy (a crash mid-upload) is a shorter file that the store re-uploads
 * and restore rejects, not something a reader can mistake for the file. That saves the rename (a
 * NameNode round trip) per file.
 *
 * <p>Every write is a create with overwrite and no existence check first; on object stores it
 * also skips s3a's probe for a directory of that name ({@value #CREATE_PERFORMANCE}), one LIST
 * request per file: the checkpoint directory has a single writer, which never makes a directory
 * where it writes a file.
 */
final class HadoopCheckpointFiles extends CheckpointFiles {
  /** Schemes whose rename is a copy: publish by writing the final name directly. */
  private static final Set<String> OBJECT_STORES =
      Set.of("s3a", "s3", "s3n", "gs", "oss", "cos", "cosn", "obs", "wasb", "wasbs", "abfs",
          "abfss");
  private static final int BUFFER = 1 << 16;
  /** s3a's per-file option to create without probing the path first; others ignore it. */
  static final String CREATE_PERFORMANCE = "fs.s3a.create.performance";

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
      try (FSDataOutputStream stream = create(out)) {
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
    CRC32 crc = new CRC32();
    byte[] buffer = new byte[BUFFER];
    try (InputStream in = java.nio.file.Files.newInputStream(local);
        FSDataOutputStream stream = create(target)) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        crc.update(buffer, 0, n);
        stream.write(buffer, 0, n);
      }
    } catch (IOException | RuntimeException e) {
      // Best effort: a torn copy left behind is re-uploaded (its length differs) or deleted by
      // retention after the next start's listing.
      try {
        fs.delete(target, false);
      } catch (IOException | RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
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

  /** Creates or replaces {@code file} and its parents in as few requests as the store allows. */
  private FSDataOutputStream create(Path file) throws IOException {
    if (!directWrites) {
      return fs.create(file, true);
    }
    FSDataOutputStreamBuilder<?, ?> builder = fs.createFile(file);
    builder.overwrite(true).recursive().opt(CREATE_PERFORMANCE, true);
    return builder.build();
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
