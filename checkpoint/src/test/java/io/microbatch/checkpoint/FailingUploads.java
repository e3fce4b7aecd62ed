package io.microbatch.checkpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;

/**
 * {@link CheckpointFiles} that, once armed, tears the next upload of an SST file: it stores the
 * first half of the file under its final name, then fails, as a connection lost mid-upload would.
 * It records which threads uploaded.
 */
final class FailingUploads extends CheckpointFiles {
  private final CheckpointFiles delegate;
  private final AtomicBoolean armed = new AtomicBoolean();
  final Set<String> uploadThreads = ConcurrentHashMap.newKeySet();

  FailingUploads(CheckpointFiles delegate) {
    super(delegate.fileSystem());
    this.delegate = delegate;
  }

  void arm() {
    armed.set(true);
  }

  @Override
  long upload(java.nio.file.Path local, Path target) throws IOException {
    uploadThreads.add(Thread.currentThread().getName());
    if (local.getFileName().toString().endsWith(".sst") && armed.compareAndSet(true, false)) {
      byte[] content = Files.readAllBytes(local);
      delegate.publish(target, java.util.Arrays.copyOf(content, content.length / 2));
      throw new IOException("Injected failure uploading " + local);
    }
    return delegate.upload(local, target);
  }

  @Override
  void publish(Path target, byte[] bytes) throws IOException {
    delegate.publish(target, bytes);
  }

  @Override
  long download(Path source, java.nio.file.Path local) throws IOException {
    return delegate.download(source, local);
  }

  @Override
  byte[] readIfExists(Path file) throws IOException {
    return delegate.readIfExists(file);
  }

  @Override
  List<FileStatus> list(Path dir) throws IOException {
    return delegate.list(dir);
  }

  @Override
  List<FileStatus> listFilesRecursively(Path dir) throws IOException {
    return delegate.listFilesRecursively(dir);
  }

  @Override
  void delete(Path path, boolean recursive) throws IOException {
    delegate.delete(path, recursive);
  }
}
