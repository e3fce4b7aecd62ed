package io.microbatch.spark;

import io.microbatch.state.PartitionState;
import io.microbatch.state.StateBackend;
import io.microbatch.state.rocksdb.RocksDbConfig;
import io.microbatch.state.rocksdb.RocksDbStateBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keyed state an executor process holds between batches: per job one RocksDB state backend
 * under {@code <root>/executor-<id>/<job>}, and in it the partitions this executor ran. State
 * outlives tasks on purpose: the driver sends a partition's next task to the executor that ran it
 * last, and the task finds its RocksDB open and warm. A shutdown hook closes everything when the
 * executor process ends (RocksDB directories are working copies; durable state is in checkpoints).
 */
final class ExecutorStateRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(ExecutorStateRegistry.class);
  private static final Map<String, ExecutorStateRegistry> BY_EXECUTOR = new ConcurrentHashMap<>();

  /** A partition's state and whether this call opened it. */
  record Lease(PartitionState state, boolean opened) {}

  private record PartitionKey(String jobId, String stageId, int partition) {}

  private final String executorId;
  private final Map<String, StateBackend> backends = new HashMap<>();
  private final Map<String, Path> jobDirectories = new HashMap<>();
  private final Map<PartitionKey, PartitionState> open = new HashMap<>();
  /**
   * Partitions a task is using right now. When a Spark job fails, Spark does not interrupt its
   * other running tasks; a later abort or release of their partitions waits for them here rather
   * than touch (or close) a RocksDB another thread is writing to.
   */
  private final Map<PartitionKey, Integer> inUse = new HashMap<>();

  private ExecutorStateRegistry(String executorId) {
    this.executorId = executorId;
    Runtime.getRuntime().addShutdownHook(
        new Thread(this::closeAll, "microbatch-state-close-" + executorId));
  }

  /** The registry of one executor (one per process, except in Spark's local mode). */
  static ExecutorStateRegistry forExecutor(String executorId) {
    return BY_EXECUTOR.computeIfAbsent(executorId, ExecutorStateRegistry::new);
  }

  /**
   * The partition's state, opened empty on first use in this executor. Tasks of different
   * partitions may call this concurrently; the engine never runs two tasks of one partition at
   * once, so the state itself needs no lock.
   */
  synchronized Lease acquire(String jobId, String stageId, int partition, StateSettings settings) {
    PartitionKey key = new PartitionKey(jobId, stageId, partition);
    PartitionState state = open.get(key);
    if (state != null) {
      inUse.merge(key, 1, Integer::sum);
      return new Lease(state, false);
    }
    state = backendOf(jobId, settings).open(stageId, partition);
    open.put(key, state);
    inUse.merge(key, 1, Integer::sum);
    LOG.info("Executor {} opened state of job {} stage {} partition {}", executorId, jobId,
        stageId, partition);
    return new Lease(state, true);
  }

  /**
   * Opens the partition here from {@code files} (a snapshot the driver restored from a
   * checkpoint) and acquires it, as {@link #acquire} would have opened it empty.
   *
   * @throws IllegalStateException if this executor already holds the partition
   */
  synchronized PartitionState acquireRestored(String jobId, String stageId, int partition,
      StateSettings settings, PartitionFiles files) throws java.io.IOException {
    PartitionKey key = new PartitionKey(jobId, stageId, partition);
    if (open.containsKey(key)) {
      throw new IllegalStateException("Executor " + executorId + " already holds partition "
          + partition + " of " + stageId + "; it cannot restore it again");
    }
    StateBackend backend = backendOf(jobId, settings);
    // The backend looks for a partition's snapshot under its restore root when it opens it.
    Path snapshot = restoreRoot(jobId, settings).resolve(StateBackend.partitionPath(stageId,
        partition));
    files.writeTo(snapshot);
    PartitionState state;
    try {
      state = backend.open(stageId, partition);
    } finally {
      PartitionFiles.deleteRecursively(snapshot);
    }
    open.put(key, state);
    inUse.merge(key, 1, Integer::sum);
    LOG.info("Executor {} restored state of job {} stage {} partition {} ({} bytes)", executorId,
        jobId, stageId, partition, files.bytes());
    return state;
  }

  /**
   * Inside the job's directory (no stage directory has this name), so that an executor killed
   * mid-run leaves one directory per job behind, as before restores existed.
   */
  private Path restoreRoot(String jobId, StateSettings settings) {
    return Path.of(settings.root(), "executor-" + executorId, safe(jobId), "_restore");
  }

  /**
   * The job's backend here, created on first use with a restore root (empty unless a partition
   * is being restored) so partitions can be restored after others were opened.
   */
  private StateBackend backendOf(String jobId, StateSettings settings) {
    StateBackend existing = backends.get(jobId);
    if (existing != null) {
      return existing;
    }
    Path jobDirectory = Path.of(settings.root(), "executor-" + executorId, safe(jobId));
    jobDirectories.put(jobId, jobDirectory);
    RocksDbStateBackend backend = new RocksDbStateBackend(
        jobDirectory,
        RocksDbConfig.defaults()
            .withBlockCacheBytes(settings.blockCacheBytes())
            .withWriteBufferManagerBytes(settings.writeBufferBytes()));
    Path restoreRoot = restoreRoot(jobId, settings);
    try {
      Files.createDirectories(restoreRoot);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    backend.restoreFrom(restoreRoot);
    backends.put(jobId, backend);
    return backend;
  }

  /** The task that acquired the partition's state is done with it. */
  synchronized void giveBack(String jobId, String stageId, int partition) {
    PartitionKey key = new PartitionKey(jobId, stageId, partition);
    inUse.computeIfPresent(key, (k, count) -> count == 1 ? null : count - 1);
    notifyAll();
  }

  /**
   * The partition's state if this executor holds it open, else null (never opens it), once no
   * task uses it any more; the caller must then give it back.
   *
   * @throws IllegalStateException if a task still uses it after {@code IDLE_WAIT}
   */
  synchronized PartitionState acquireIdle(String jobId, String stageId, int partition)
      throws InterruptedException {
    PartitionKey key = new PartitionKey(jobId, stageId, partition);
    awaitIdle(key::equals);
    PartitionState state = open.get(key);
    if (state != null) {
      inUse.merge(key, 1, Integer::sum);
    }
    return state;
  }

  private static final long IDLE_WAIT_MILLIS = 120_000;

  private void awaitIdle(java.util.function.Predicate<PartitionKey> keys)
      throws InterruptedException {
    long deadline = System.currentTimeMillis() + IDLE_WAIT_MILLIS;
    while (inUse.keySet().stream().anyMatch(keys)) {
      long left = deadline - System.currentTimeMillis();
      if (left <= 0) {
        throw new IllegalStateException("Executor " + executorId + ": partitions still in use "
            + "by tasks after " + IDLE_WAIT_MILLIS + " ms: " + inUse.keySet());
      }
      wait(left);
    }
  }

  /**
   * Closes the partition (which deletes its working directory) if this executor holds it, and
   * the job's backend once none of its partitions is left here. Returns true if it was held.
   */
  private boolean release(String jobId, String stageId, int partition) {
    PartitionState state = open.remove(new PartitionKey(jobId, stageId, partition));
    if (state == null) {
      return false;
    }
    state.close();
    boolean jobLeft = open.keySet().stream().anyMatch(key -> key.jobId().equals(jobId));
    if (!jobLeft) {
      StateBackend backend = backends.remove(jobId);
      if (backend != null) {
        try {
          backend.close();
          // Closing its partitions emptied it; an empty directory per finished run is litter.
          Path directory = jobDirectories.remove(jobId);
          if (directory != null) {
            PartitionFiles.deleteRecursively(directory.resolve("_restore"));
            Files.deleteIfExists(directory);
          }
        } catch (Exception e) {
          LOG.warn("Executor {} could not close the state backend of job {}", executorId, jobId, e);
        }
      }
    }
    LOG.info("Executor {} released state of job {} stage {} partition {}", executorId, jobId,
        stageId, partition);
    return true;
  }

  /**
   * Closes one partition held here (it moved to another executor), once no task uses it.
   * Returns true if it was held.
   */
  synchronized boolean releasePartition(String jobId, String stageId, int partition)
      throws InterruptedException {
    PartitionKey key = new PartitionKey(jobId, stageId, partition);
    awaitIdle(key::equals);
    return release(jobId, stageId, partition);
  }

  /**
   * Closes every partition of the job held here and the job's backend, whether or not the driver
   * learnt that this executor opened them (a task whose Spark job failed reports nothing).
   * Returns how many partitions it closed.
   */
  synchronized int releaseJob(String jobId) throws InterruptedException {
    awaitIdle(key -> key.jobId().equals(jobId));
    List<PartitionKey> keys =
        open.keySet().stream().filter(key -> key.jobId().equals(jobId)).toList();
    for (PartitionKey key : keys) {
      release(jobId, key.stageId(), key.partition());
    }
    return keys.size();
  }

  /** How many partitions this executor holds open, over all jobs. */
  synchronized int openPartitions() {
    return open.size();
  }

  /** Closes every partition and backend of every job. */
  synchronized void closeAll() {
    List<AutoCloseable> closeables = new ArrayList<>(open.values());
    closeables.addAll(backends.values());
    open.clear();
    backends.clear();
    for (AutoCloseable closeable : closeables) {
      try {
        closeable.close();
      } catch (Exception e) {
        LOG.warn("Executor {} could not close {}", executorId, closeable, e);
      }
    }
  }

  private static String safe(String name) {
    return StateBackend.stageDirectoryName(name);
  }
}
