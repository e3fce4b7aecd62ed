package io.microbatch.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * {@link CheckpointFiles} on the local file system, written with {@code java.nio} rather than
 * Hadoop's {@code LocalFileSystem}. Without the native Hadoop library that one forks {@code chmod}
 * for every file it creates and {@code ls} for every file a recursive listing returns (about 10 ms
 * each, the bulk of a small checkpoint's time), and writes a {@code .crc} side file next to every
 * file. The side files are not needed: every checkpoint file carries its own checksum (frame
 * header, or CRC32 in the manifest). Files are written to a hidden temporary name in the target's
 * directory and moved into place atomically; published metadata and log entries are forced to
 * disk first, as Hadoop's {@code hsync} did.
 *
 * <p>Directories written by earlier versions through Hadoop hold {@code .crc} side files; a file
 * replaced or deleted here loses its side file too, so that Hadoop never reads a stale one.
 */
final class LocalCheckpointFiles extends CheckpointFiles {
  private static final int BUFFER = 1 << 16;

  private final String scheme;

  LocalCheckpointFiles(FileSystem fs) {
    super(fs);
    this.scheme = fs.getUri().getScheme();
  }

  @Override
  void publish(Path target, byte[] bytes) throws IOException {
    java.nio.file.Path file = local(target);
    java.nio.file.Path temporary = temporaryFor(file);
    try {
      try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
          out.write(buffer);
        }
        out.force(false);
      }
      moveIntoPlace(temporary, file);
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  @Override
  long upload(java.nio.file.Path source, Path target) throws IOException {
    java.nio.file.Path file = local(target);
    java.nio.file.Path temporary = temporaryFor(file);
    CRC32 crc = new CRC32();
    try {
      try (InputStream in = Files.newInputStream(source);
          OutputStream out = Files.newOutputStream(temporary, StandardOpenOption.CREATE_NEW,
              StandardOpenOption.WRITE)) {
        copy(in, out, crc);
      }
      moveIntoPlace(temporary, file);
    } finally {
      Files.deleteIfExists(temporary);
    }
    return crc.getValue();
  }

  @Override
  long download(Path source, java.nio.file.Path target) throws IOException {
    CRC32 crc = new CRC32();
    try (InputStream in = open(local(source));
        OutputStream out = Files.newOutputStream(target)) {
      copy(in, out, crc);
    }
    return crc.getValue();
  }

  @Override
  byte[] readIfExists(Path file) throws IOException {
    try {
      return Files.readAllBytes(local(file));
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  @Override
  List<FileStatus> list(Path dir) throws IOException {
    List<FileStatus> result = new ArrayList<>();
    java.nio.file.Path local = local(dir);
    if (!Files.isDirectory(local)) {
      return result;
    }
    try (DirectoryStream<java.nio.file.Path> entries = Files.newDirectoryStream(local)) {
      for (java.nio.file.Path entry : entries) {
        String name = entry.getFileName().toString();
        if (isTemporary(name)) {
          continue;
        }
        BasicFileAttributes attributes = attributesOrNull(entry);
        if (attributes != null) {
          result.add(status(new Path(dir, name), attributes));
        }
      }
    }
    return result;
  }

  @Override
  List<FileStatus> listFilesRecursively(Path dir) throws IOException {
    List<FileStatus> result = new ArrayList<>();
    java.nio.file.Path root = local(dir);
    if (!Files.isDirectory(root)) {
      return result;
    }
    try (Stream<java.nio.file.Path> paths = Files.walk(root)) {
      for (java.nio.file.Path entry : (Iterable<java.nio.file.Path>) paths::iterator) {
        BasicFileAttributes attributes = attributesOrNull(entry);
        if (attributes == null || !attributes.isRegularFile()) {
          continue;
        }
        Path path = dir;
        for (java.nio.file.Path segment : root.relativize(entry)) {
          path = new Path(path, segment.toString());
        }
        result.add(status(path, attributes));
      }
    }
    return result;
  }

  @Override
  void delete(Path path, boolean recursive) throws IOException {
    java.nio.file.Path local = local(path);
    if (recursive && Files.isDirectory(local)) {
      try (Stream<java.nio.file.Path> paths = Files.walk(local)) {
        for (java.nio.file.Path entry : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(entry);
        }
      }
      return;
    }
    Files.deleteIfExists(local);
    deleteSideFile(local);
  }

  private java.nio.file.Path local(Path path) {
    java.net.URI uri = path.toUri();
    if (uri.getScheme() != null && !uri.getScheme().equals(scheme)) {
      throw new IllegalArgumentException("Not a local path: " + path);
    }
    return java.nio.file.Path.of(uri.getPath());
  }

  private static java.nio.file.Path temporaryFor(java.nio.file.Path file) throws IOException {
    Files.createDirectories(file.getParent());
    return file.resolveSibling(temporaryName(file.getFileName().toString()));
  }

  private static void moveIntoPlace(java.nio.file.Path temporary, java.nio.file.Path target)
      throws IOException {
    deleteSideFile(target);
    Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
  }

  /** Hadoop's checksum side file of {@code file}, as its {@code LocalFileSystem} names it. */
  private static void deleteSideFile(java.nio.file.Path file) throws IOException {
    Files.deleteIfExists(file.resolveSibling("." + file.getFileName() + ".crc"));
  }

  private static InputStream open(java.nio.file.Path file) throws IOException {
    try {
      return Channels.newInputStream(FileChannel.open(file, StandardOpenOption.READ));
    } catch (NoSuchFileException e) {
      throw new java.io.FileNotFoundException(file + " does not exist");
    }
  }

  private static void copy(InputStream in, OutputStream out, CRC32 crc) throws IOException {
    byte[] buffer = new byte[BUFFER];
    for (int n; (n = in.read(buffer)) > 0; ) {
      crc.update(buffer, 0, n);
      out.write(buffer, 0, n);
    }
  }

  private static BasicFileAttributes attributesOrNull(java.nio.file.Path entry)
      throws IOException {
    try {
      return Files.readAttributes(entry, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      return null; // deleted while listed
    }
  }

  private static FileStatus status(Path path, BasicFileAttributes attributes) {
    return new FileStatus(attributes.size(), attributes.isDirectory(), 1, 0,
        attributes.lastModifiedTime().toMillis(), path);
  }
}
