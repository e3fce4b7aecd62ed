package io.microbatch.checkpoint;

import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FSDataOutputStreamBuilder;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FilterFileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.Progressable;

/**
 * A file system that counts and times each call the checkpoint code makes (for the benchmark):
 * create, the output stream's hflush, hsync and close, open, rename, delete, status and listing.
 * Times of calls made in parallel add up, so the sum can exceed the wall time. Streams made
 * through {@link #createFile} builders are counted but their writes and close are not timed.
 */
final class TimedFileSystem extends FilterFileSystem {
  private final Map<String, LongAdder[]> calls = new ConcurrentHashMap<>();

  TimedFileSystem(FileSystem fs) {
    super(fs);
  }

  @Override
  public String getScheme() {
    return fs.getScheme();
  }

  /** Operation to {count, total nanos}, sorted by name. */
  Map<String, long[]> snapshot() {
    Map<String, long[]> result = new TreeMap<>();
    calls.forEach((op, adders) -> result.put(op, new long[] {adders[0].sum(), adders[1].sum()}));
    return result;
  }

  void reset() {
    calls.clear();
  }

  private void record(String op, long started) {
    LongAdder[] adders = calls.computeIfAbsent(op, k -> new LongAdder[] {new LongAdder(),
        new LongAdder()});
    adders[0].increment();
    adders[1].add(System.nanoTime() - started);
  }

  private interface Call<T> {
    T run() throws IOException;
  }

  private <T> T timed(String op, Call<T> call) throws IOException {
    long started = System.nanoTime();
    try {
      return call.run();
    } finally {
      record(op, started);
    }
  }

  @Override
  public FSDataOutputStream create(Path f, FsPermission permission, boolean overwrite,
      int bufferSize, short replication, long blockSize, Progressable progress)
      throws IOException {
    FSDataOutputStream out = timed("create", () -> fs.create(f, permission, overwrite,
        bufferSize, replication, blockSize, progress));
    return new TimedStream(out);
  }

  @Override
  public FSDataOutputStreamBuilder<?, ?> createFile(Path path) {
    long started = System.nanoTime();
    record("createFile (builder; stream not timed)", started);
    return fs.createFile(path);
  }

  @Override
  public FSDataInputStream open(Path f, int bufferSize) throws IOException {
    return timed("open", () -> fs.open(f, bufferSize));
  }

  @Override
  public boolean rename(Path src, Path dst) throws IOException {
    return timed("rename", () -> fs.rename(src, dst));
  }

  @Override
  public boolean delete(Path f, boolean recursive) throws IOException {
    return timed("delete", () -> fs.delete(f, recursive));
  }

  @Override
  public FileStatus getFileStatus(Path f) throws IOException {
    return timed("getFileStatus", () -> fs.getFileStatus(f));
  }

  @Override
  public boolean exists(Path f) throws IOException {
    return timed("exists", () -> fs.exists(f));
  }

  @Override
  public FileStatus[] listStatus(Path f) throws IOException {
    return timed("listStatus", () -> fs.listStatus(f));
  }

  @Override
  public RemoteIterator<LocatedFileStatus> listFiles(Path f, boolean recursive)
      throws IOException {
    return timed("listFiles", () -> fs.listFiles(f, recursive));
  }

  @Override
  public boolean mkdirs(Path f, FsPermission permission) throws IOException {
    return timed("mkdirs", () -> fs.mkdirs(f, permission));
  }

  /** Times hflush, hsync and close (close includes sending what is buffered). */
  private final class TimedStream extends FSDataOutputStream {
    TimedStream(FSDataOutputStream out) {
      super(out, null);
    }

    @Override
    public void hflush() throws IOException {
      timed("stream.hflush", () -> {
        super.hflush();
        return null;
      });
    }

    @Override
    public void hsync() throws IOException {
      timed("stream.hsync", () -> {
        super.hsync();
        return null;
      });
    }

    @Override
    public void close() throws IOException {
      timed("stream.close", () -> {
        super.close();
        return null;
      });
    }
  }
}
