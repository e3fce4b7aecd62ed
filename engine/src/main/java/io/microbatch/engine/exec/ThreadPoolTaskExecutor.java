package io.microbatch.engine.exec;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The default {@link TaskExecutor}: a fixed pool of daemon threads ({@code microbatch-worker-N})
 * in the driver's process. A single task runs on the calling thread, which saves a hand-off for
 * the many rounds that have one partition of work.
 */
public final class ThreadPoolTaskExecutor implements TaskExecutor {
  private final ExecutorService pool;

  /** A pool of {@code threads} worker threads. */
  public ThreadPoolTaskExecutor(int threads) {
    if (threads <= 0) {
      throw new IllegalArgumentException("threads must be positive, was " + threads);
    }
    AtomicInteger created = new AtomicInteger();
    this.pool =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "microbatch-worker-" + created.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  @Override
  public <T> List<T> runAll(List<? extends Callable<T>> tasks) throws Exception {
    List<T> results = new ArrayList<>(tasks.size());
    if (tasks.size() == 1) {
      results.add(tasks.get(0).call());
      return results;
    }
    List<Future<T>> futures = new ArrayList<>(tasks.size());
    for (Callable<T> task : tasks) {
      futures.add(pool.submit(task));
    }
    Throwable failure = null;
    for (Future<T> future : futures) {
      try {
        results.add(future.get());
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (failure == null) {
          failure = cause;
        } else if (cause != failure) {
          // The same instance thrown by two tasks cannot suppress itself.
          failure.addSuppressed(cause);
        }
      }
    }
    if (failure instanceof Exception exception) {
      throw exception;
    } else if (failure instanceof Error error) {
      throw error;
    }
    return results;
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
