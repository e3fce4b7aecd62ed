package io.microbatch.checkpoint;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a snapshot's file uploads on a small bounded pool. On HDFS and object stores each file
 * costs round trips (a DataNode pipeline and the NameNode's close, or a PUT) that do not use this
 * machine's CPU, so uploading a few at a time hides most of that latency.
 *
 * <p>{@link #runAll} returns only when every task has finished or was never started: a failed
 * publish must not leave uploads running behind it, since the next publish and retention decide
 * from what the store holds. Threads are daemons and end after a minute idle, so an idle store
 * holds none.
 */
final class ParallelUploads {
  /** Uploads in flight per publish unless configured otherwise. */
  static final int DEFAULT_THREADS = 8;

  private static final AtomicInteger POOLS = new AtomicInteger();

  private final ThreadPoolExecutor pool;

  ParallelUploads(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("At least one upload thread is needed, got " + threads);
    }
    int poolId = POOLS.incrementAndGet();
    AtomicInteger threadIds = new AtomicInteger();
    ThreadFactory factory = runnable -> {
      Thread thread = new Thread(runnable,
          "checkpoint-upload-" + poolId + "-" + threadIds.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
    this.pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), factory);
    pool.allowCoreThreadTimeOut(true);
  }

  /** One upload; returns what the caller records once every upload succeeded. */
  interface Task<T> {
    T call() throws IOException;
  }

  /**
   * Runs every task and returns their results in order. After the first failure no further task
   * starts; the ones already running finish, and the first failure is thrown with the others
   * suppressed.
   */
  <T> List<T> runAll(List<? extends Task<T>> tasks) throws IOException {
    if (tasks.size() == 1) {
      return java.util.Collections.singletonList(tasks.get(0).call()); // no hand-off for one
    }
    // A flag rather than Future.cancel: cancelling a running task would let get() return before
    // it ended, and a failed publish must not leave uploads running behind it.
    AtomicBoolean failed = new AtomicBoolean();
    List<Future<T>> futures = new ArrayList<>(tasks.size());
    for (Task<T> task : tasks) {
      futures.add(pool.submit(() -> {
        if (failed.get()) {
          return null;
        }
        try {
          return task.call();
        } catch (IOException | RuntimeException | Error e) {
          failed.set(true);
          throw e;
        }
      }));
    }
    List<T> results = new ArrayList<>(tasks.size());
    Throwable failure = null;
    boolean interrupted = false;
    for (Future<T> future : futures) {
      while (true) {
        try {
          results.add(future.get());
          break;
        } catch (InterruptedException e) {
          interrupted = true; // stop starting uploads, but wait for the running ones
          failed.set(true);
          if (failure == null) {
            failure = new InterruptedIOException("Interrupted while uploading a snapshot");
          }
        } catch (ExecutionException e) {
          if (failure == null) {
            failure = e.getCause();
          } else if (failure != e.getCause()) {
            failure.addSuppressed(e.getCause());
          }
          break;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (failure == null) {
      return results;
    }
    if (failure instanceof IOException io) {
      throw io;
    }
    if (failure instanceof RuntimeException runtime) {
      throw runtime;
    }
    if (failure instanceof Error error) {
      throw error;
    }
    throw new IOException(failure);
  }
}
