package io.microbatch.checkpoint;

import java.io.IOException;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * Publishes and reads the files of a checkpoint directory. A published file is visible whole or
 * not at all; readers never see temporary files, and every file they read is verified by its
 * header or the manifest, so a torn file is detected, not misread.
 *
 * <p>{@link #on} picks the implementation: the local file system is written directly through
 * {@code java.nio} ({@link LocalCheckpointFiles}), because Hadoop's local file system forks a
 * shell ({@code chmod}, {@code ls}) for every file it creates or lists without the native Hadoop
 * library, and adds a {@code .crc} side file to every file; everything else goes through Hadoop
 * ({@link HadoopCheckpointFiles}).
 */
abstract class CheckpointFiles {
  private final FileSystem fs;

  CheckpointFiles(FileSystem fs) {
    this.fs = fs;
  }

  /** The implementation for {@code fs}. */
  static CheckpointFiles on(FileSystem fs) {
    if (fs instanceof LocalFileSystem || fs instanceof RawLocalFileSystem) {
      return new LocalCheckpointFiles(fs);
    }
    return new HadoopCheckpointFiles(fs);
  }

  final FileSystem fileSystem() {
    return fs;
  }

  /** Writes {@code bytes} as {@code target}, replacing it; visible whole or not at all. */
  abstract void publish(Path target, byte[] bytes) throws IOException;

  /**
   * Copies a local file to {@code target} and returns the CRC32 of the bytes sent, so the caller
   * can check that the file did not change while it was read.
   */
  abstract long upload(java.nio.file.Path local, Path target) throws IOException;

  /** Copies {@code source} to a local file and returns the CRC32 of the bytes received. */
  abstract long download(Path source, java.nio.file.Path local) throws IOException;

  /** The whole file, or null if it does not exist. */
  abstract byte[] readIfExists(Path file) throws IOException;

  /** The published (non-temporary) entries directly under {@code dir}; empty if it is missing. */
  abstract List<FileStatus> list(Path dir) throws IOException;

  /**
   * Every file below {@code dir}, temporary ones included, with qualified paths and lengths;
   * empty if it is missing.
   */
  abstract List<FileStatus> listFilesRecursively(Path dir) throws IOException;

  abstract void delete(Path path, boolean recursive) throws IOException;

  static boolean isTemporary(String name) {
    return name.startsWith(".") || name.startsWith("_") || name.endsWith(".tmp");
  }

  static String temporaryName(String target) {
    return "." + target + "." + java.util.UUID.randomUUID() + ".tmp";
  }
}
