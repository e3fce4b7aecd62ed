package io.microbatch.spark;

import io.microbatch.engine.exec.PartitionsLostException;
import io.microbatch.engine.exec.RemoteProgram;
import io.microbatch.engine.exec.RemoteTask;
import io.microbatch.engine.exec.RemoteTaskExecutor;
import io.microbatch.engine.exec.RemoteTaskResult;
import io.microbatch.state.StateBackend;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the engine's partition tasks on a Spark cluster: each stage's round is one Spark job with
 * one task per partition, keyed partitions pinned to the executor holding their RocksDB state
 * ({@link PartitionPlacement}), the job's stages shipped once as a broadcast. Shuffled records
 * come back to the driver, which hands them to the next stage's tasks. Commit and abort of a
 * batch are one Spark job each, a task per keyed partition on its holder; at the end, a task per
 * executor that took part releases the run's state there and tears its DoFns down.
 *
 * Checkpoints are driver-routed: a snapshot job returns each held partition's snapshot files to
 * the driver, and a restore job ships them from the driver to the executors before the first
 * batch.
 *
 * <p>After-commit work (bundle finalization, publishing staged output) stays in the executor
 * process whose task registered it, and runs there in one job after the commit.
 *
 * <p>Where keyed partitions live is the {@link PartitionBalancer}'s choice: a new or restored
 * partition goes to the live executor holding fewest, and partitions move between executors only
 * right after a checkpoint (opened from its snapshot on the new executor). A failed job is an
 * executor loss when Spark reports an executor of the run removed ({@link RunExecutorsListener}).
 */
public final class SparkTaskExecutor implements RemoteTaskExecutor {
  private static final Logger LOG = LoggerFactory.getLogger(SparkTaskExecutor.class);

  private record Held(String stageName, int partition) {}

  private final JavaSparkContext spark;
  private final boolean ownsContext;
  private final SparkBatchRunner runner;
  private final Set<Held> keyedPartitions = new LinkedHashSet<>();
  /**
   * Keyed partitions that ran a task in the running batch: only they can have writes to commit,
   * so an empty batch commits nothing and runs no Spark job at all.
   */
  private final Set<Held> ranThisBatch = new LinkedHashSet<>();
  private final Set<ExecutorLocation> executorsUsed = new LinkedHashSet<>();
  private Broadcast<RemoteProgram> program;
  private long batch;
  private long jobs;
  /**
   * How long a failed job waits for Spark to report an executor of the run removed: the
   * removal is posted on Spark's listener bus, which may trail the job's failure a little.
   */
  private static final long LOSS_NOTICE_MILLIS = 10_000L;
  private final RunExecutorsListener executorsListener;
  private final String jobId;
  /**
   * Ids of the executors holding keyed partitions or after-commit work, as of the last job;
   * read by Spark's listener thread.
   */
  private volatile Set<String> holderIds = Set.of();

  /**
   * Executors where tasks of the running batch left after-commit work, under the batch number
   * the tasks were given; run there by {@link #runAfterCommit}, forgotten when the batch aborts.
   */
  private final Set<ExecutorLocation> afterCommitHolders = new LinkedHashSet<>();
  private long afterCommitBatch = -1;

  /** Executors found lost while this run used them. */
  private final Set<ExecutorLocation> lostExecutors = new LinkedHashSet<>();
  private long snapshots;
  private long snapshotBytes;
  private boolean balancing = true;

  /**
   * @param ownsContext true if this executor created the context and stops it when it closes
   * @param jobId names this run's state on the executors; unique per run
   */
  public SparkTaskExecutor(
      JavaSparkContext spark, boolean ownsContext, StateSettings state, String jobId) {
    this.spark = spark;
    this.ownsContext = ownsContext;
    this.runner = new SparkBatchRunner(spark, jobId, state, true);
    this.jobId = jobId;
    this.executorsListener = new RunExecutorsListener(jobId, this::onExecutorRemoved);
    spark.sc().addSparkListener(executorsListener);
  }

  @Override
  public void start(RemoteProgram program) {
    this.program = spark.broadcast(program);
  }

  @Override
  public List<RemoteTaskResult> runRemote(List<RemoteTask> tasks) throws Exception {
    List<RemoteTaskResult> results;
    try {
      results = runOnExecutors(tasks);
    } catch (Exception e) {
      // Spark's job failures are SparkExceptions, checked exceptions thrown from Scala.
      throw lossOr(e);
    }
    Throwable first = null;
    for (RemoteTaskResult result : results) {
      if (result.failure() != null) {
        if (first == null) {
          first = result.failure();
        } else {
          first.addSuppressed(result.failure());
        }
      }
    }
    if (first instanceof Exception exception) {
      throw exception;
    } else if (first instanceof Error error) {
      throw error;
    } else if (first != null) {
      throw new IllegalStateException(first);
    }
    return results;
  }

  private List<RemoteTaskResult> runOnExecutors(List<RemoteTask> tasks) {
    if (program == null) {
      throw new IllegalStateException("start() was not called");
    }
    List<SparkBatchRunner.PlacedTask<RemoteTaskResult>> placed = new ArrayList<>(tasks.size());
    Map<Held, ExecutorLocation> holders = null;
    List<ExecutorLocation> live = null;
    Set<ExecutorLocation> needed = new LinkedHashSet<>();
    for (RemoteTask task : tasks) {
      ExecutorLocation holder = task.keyed()
          ? runner.placement().lastExecutor(task.stateName(), task.partition())
          : null;
      if (holder != null) {
        needed.add(holder);
      }
      ExecutorLocation target = null;
      if (task.keyed() && holder == null) {
        // A partition's first run: the balancer picks the executor that will hold it.
        if (holders == null) {
          holders = currentHolders();
          live = liveExecutors();
        }
        target = PartitionBalancer.leastLoaded(holders, live);
        if (target != null) {
          holders.put(new Held(task.stateName(), task.partition()), target);
        }
      }
      placed.add(new SparkBatchRunner.PlacedTask<>(task.stateName(), task.partition(),
          task.keyed(), new EngineTask(program, task, holder), target));
    }
    failIfRemoved(needed);
    if (holders != null) {
      // Executors about to open partitions hold state from now on: their loss cancels the job.
      Set<String> ids = new java.util.HashSet<>(holderIds);
      holders.values().forEach(executor -> ids.add(executor.executorId()));
      holderIds = Set.copyOf(ids);
    }
    String description =
        "batch " + batch + " " + (tasks.isEmpty() ? "" : tasks.get(0).stateName());
    List<PartitionResult<RemoteTaskResult>> results;
    try {
      results = runner.runJob(batch, description, placed);
    } finally {
      jobs++;
    }
    List<RemoteTaskResult> values = new ArrayList<>(results.size());
    for (int i = 0; i < results.size(); i++) {
      PartitionResult<RemoteTaskResult> result = results.get(i);
      executorsUsed.add(result.executor());
      if (result.value().failure() != null) {
        LOG.warn("Task of partition {} of {} failed on executor {}: {}", tasks.get(i).partition(),
            tasks.get(i).stateName(), result.executor(), result.value().failure().toString());
      }
      if (result.value().afterCommitCallbacks() > 0) {
        afterCommitHolders.add(result.executor());
        afterCommitBatch = batch;
      }
      if (tasks.get(i).keyed()) {
        Held held = new Held(tasks.get(i).stateName(), tasks.get(i).partition());
        keyedPartitions.add(held);
        ranThisBatch.add(held);
      }
      values.add(result.value());
    }
    refreshHolderIds();
    return values;
  }

  @Override
  public void commitState(long batchId) throws Exception {
    try {
      failIfRemoved(holders());
      stateCall(StateCall.Kind.COMMIT, batchId, ranThisBatch);
    } catch (Exception e) {
      throw lossOr(e);
    }
    ranThisBatch.clear();
    batch = batchId + 1;
  }

  /**
   * One job, an {@link AfterCommitCall} pinned to each executor where the batch's tasks left
   * after-commit work. A call that fails on a callback fails the pipeline with its trace, as the
   * local engine does; an executor gone with its work is a loss (a replay redoes the work).
   */
  @Override
  public void runAfterCommit(long batchId) throws Exception {
    if (afterCommitHolders.isEmpty()) {
      return;
    }
    failIfRemoved(afterCommitHolders);
    List<SparkBatchRunner.PlacedTask<String>> calls = new ArrayList<>();
    int index = 0;
    for (ExecutorLocation holder : afterCommitHolders) {
      calls.add(SparkBatchRunner.PlacedTask.on(
          holder, "after-commit", index++, new AfterCommitCall(holder, afterCommitBatch)));
    }
    List<PartitionResult<String>> results;
    try {
      results = runner.runStateJob(afterCommitBatch, "after commit of batch " + batchId, calls);
    } catch (Exception e) {
      throw lossOr(e);
    } finally {
      jobs++;
    }
    afterCommitHolders.clear();
    refreshHolderIds();
    for (PartitionResult<String> result : results) {
      if (result.value() != null) {
        throw new IllegalStateException("After-commit work of batch " + batchId
            + " failed on executor " + result.executor() + ":\n" + result.value());
      }
    }
  }

  /**
   * {@code failure} as a {@link PartitionsLostException} if an executor holding keyed partitions
   * of this run, or after-commit work of its batch, is gone (its state or work with it), else
   * {@code failure} itself. The driver learns of
   * a lost executor asynchronously, so a failure with no loss known yet waits a little for it.
   */
  private Exception lossOr(Exception failure) {
    if (failure instanceof PartitionsLostException) {
      return failure;
    }
    Set<ExecutorLocation> watched = holders();
    Set<ExecutorLocation> lost = new LinkedHashSet<>();
    Set<String> alive = liveExecutorIds();
    for (ExecutorLocation holder : watched) {
      if (!alive.contains(holder.executorId())) {
        lost.add(holder);
      }
    }
    try {
      // Also executors that ran tasks of the run whose results never reached the driver (a
      // partition's first run), known from Spark's scheduler events.
      lost.addAll(executorsListener.awaitRemoved(watched, lost.isEmpty() ? LOSS_NOTICE_MILLIS : 0));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (lost.isEmpty()) {
      return failure;
    }
    lostExecutors.addAll(lost);
    List<String> reasons = new ArrayList<>();
    for (ExecutorLocation executor : lost) {
      reasons.add(executor + ": " + executorsListener.removalReason(executor.executorId()));
    }
    return new PartitionsLostException("Executors that ran tasks of this run are gone, and the "
        + "keyed state or after-commit work they held with them (" + String.join("; ", reasons)
        + ")", failure);
  }

  /**
   * Spark's listener thread: a removed executor that holds state of the run cancels the run's
   * running job, which would otherwise wait up to {@code spark.locality.wait} for it before
   * failing; the cancelled job then fails as a loss ({@link #lossOr}).
   */
  private void onExecutorRemoved(String executorId) {
    if (holderIds.contains(executorId)) {
      LOG.warn("Executor {} holding state of run {} was removed: cancelling the run's job",
          executorId, jobId);
      spark.sc().cancelJobGroup(jobId);
    }
  }

  /**
   * Before submitting a job whose tasks need {@code needed}: if Spark already removed one of
   * them, the job would wait for it up to {@code spark.locality.wait}; fail as a loss at once.
   */
  private void failIfRemoved(Set<ExecutorLocation> needed) {
    Set<ExecutorLocation> lost = new LinkedHashSet<>();
    for (ExecutorLocation executor : needed) {
      if (executorsListener.wasRemoved(executor.executorId())) {
        lost.add(executor);
      }
    }
    if (!lost.isEmpty()) {
      lostExecutors.addAll(lost);
      throw new PartitionsLostException("Executors " + lost + " holding keyed state or "
          + "after-commit work of this run were removed by Spark", null);
    }
  }

  /** Remembers who holds state now, for the listener thread. */
  private void refreshHolderIds() {
    Set<String> ids = new java.util.HashSet<>();
    for (ExecutorLocation holder : holders()) {
      ids.add(holder.executorId());
    }
    holderIds = Set.copyOf(ids);
  }

  /** Each held keyed partition's executor. */
  private Map<Held, ExecutorLocation> currentHolders() {
    Map<Held, ExecutorLocation> holders = new LinkedHashMap<>();
    for (Held held : keyedPartitions) {
      ExecutorLocation holder =
          runner.placement().lastExecutor(held.stageName(), held.partition());
      if (holder != null) {
        holders.put(held, holder);
      }
    }
    return holders;
  }

  /** The executors registered with the driver now, as their block managers name them. */
  private List<ExecutorLocation> liveExecutors() {
    List<ExecutorLocation> live = new ArrayList<>();
    for (org.apache.spark.storage.BlockManagerId id : scala.jdk.javaapi.CollectionConverters
        .asJava(spark.sc().env().blockManager().master().getMemoryStatus().keySet())) {
      if (!id.isDriver() && !executorsListener.wasRemoved(id.executorId())) {
        live.add(new ExecutorLocation(id.host(), id.executorId()));
      }
    }
    live.sort(java.util.Comparator.comparing(ExecutorLocation::executorId));
    return live;
  }

  /**
   * Executors that hold keyed partitions of this run or after-commit work of its running batch.
   */
  private Set<ExecutorLocation> holders() {
    Set<ExecutorLocation> holders = new LinkedHashSet<>(afterCommitHolders);
    for (Held held : keyedPartitions) {
      ExecutorLocation holder =
          runner.placement().lastExecutor(held.stageName(), held.partition());
      if (holder != null) {
        holders.add(holder);
      }
    }
    return holders;
  }

  private Set<String> liveExecutorIds() {
    // The driver's scheduler backend's view: an executor leaves it once it is known lost.
    return new LinkedHashSet<>(
        scala.jdk.javaapi.CollectionConverters.asJava(spark.sc().getExecutorIds()));
  }

  @Override
  public void abortState(long batchId) {
    // The failed batch's after-commit work never runs; its executors drop it later.
    afterCommitHolders.clear();
    refreshHolderIds();
    try {
      // Every held partition, not only those known to have run: a failed job's tasks may have
      // written to partitions whose results never reached the driver.
      stateCall(StateCall.Kind.ABORT, batchId, keyedPartitions);
    } finally {
      ranThisBatch.clear();
      batch = batchId + 1;
    }
  }

  private void stateCall(StateCall.Kind kind, long batchId, Set<Held> partitions) {
    if (partitions.isEmpty()) {
      return;
    }
    List<SparkBatchRunner.PlacedTask<Boolean>> calls = new ArrayList<>();
    for (Held held : partitions) {
      ExecutorLocation holder =
          runner.placement().lastExecutor(held.stageName(), held.partition());
      if (kind == StateCall.Kind.ABORT && lostExecutors.contains(holder)) {
        // Its state is gone: nothing to abort, and its task would wait out the locality wait.
        continue;
      }
      calls.add(new SparkBatchRunner.PlacedTask<>(held.stageName(), held.partition(), true,
          new StateCall(kind, holder)));
    }
    // Not recorded as runs of the partitions: a state call must not move where they are held.
    List<PartitionResult<Boolean>> results = runner.runStateJob(
        batchId, kind.name().toLowerCase() + " of batch " + batchId, calls);
    jobs++;
    long missed = results.stream().filter(r -> !r.value()).count();
    if (missed > 0) {
      LOG.warn("{} of batch {} did not reach {} of {} partitions", kind, batchId, missed,
          results.size());
    }
  }

  /**
   * One job, a {@link SnapshotCall} per held keyed partition pinned to its holder; the files come
   * back to the driver (driver-routed: the first cut, see docs/spark-executor.md).
   */
  @Override
  public Map<String, Path> snapshotState(long batchId, Path scratch) throws Exception {
    List<Held> held = new ArrayList<>(keyedPartitions);
    List<SparkBatchRunner.PlacedTask<PartitionFiles>> calls = new ArrayList<>();
    for (Held partition : held) {
      ExecutorLocation holder =
          runner.placement().lastExecutor(partition.stageName(), partition.partition());
      calls.add(new SparkBatchRunner.PlacedTask<>(partition.stageName(), partition.partition(),
          true, new SnapshotCall(holder)));
    }
    Map<String, Path> directories = new LinkedHashMap<>();
    if (calls.isEmpty()) {
      return directories;
    }
    failIfRemoved(holders());
    List<PartitionResult<PartitionFiles>> results;
    try {
      results = runner.runStateJob(batchId, "snapshot after batch " + batchId, calls);
    } catch (Exception e) {
      throw lossOr(e);
    } finally {
      jobs++;
    }
    long bytes = 0;
    for (int i = 0; i < results.size(); i++) {
      String name = StateBackend.partitionPath(held.get(i).stageName(), held.get(i).partition());
      Path directory = scratch.resolve(name);
      PartitionFiles files = results.get(i).value();
      files.writeTo(directory);
      bytes += files.bytes();
      directories.put(name, directory);
    }
    snapshotBytes += bytes;
    snapshots++;
    LOG.info("Snapshot after batch {}: {} partitions, {} bytes brought to the driver", batchId,
        held.size(), bytes);
    rebalance(batchId, directories);
    return directories;
  }

  /**
   * After a snapshot, while every partition's committed state is in {@code directories} on the
   * driver: moves partitions from executors holding the most to live executors holding the
   * fewest (a replacement for a lost executor, or one that joined). A move opens the partition
   * on its new executor from the snapshot, then closes it on the old one. A failed move leaves
   * the partition where it was; balancing then stops for the run (a half-done move may have left
   * a copy on the target, which the end of the run releases).
   */
  private void rebalance(long batchId, Map<String, Path> directories) {
    if (!balancing) {
      return;
    }
    List<PartitionBalancer.Move<Held>> moves =
        PartitionBalancer.plan(currentHolders(), liveExecutors());
    if (moves.isEmpty()) {
      return;
    }
    try {
      List<SparkBatchRunner.PlacedTask<Long>> opens = new ArrayList<>();
      for (PartitionBalancer.Move<Held> move : moves) {
        Held held = move.partition();
        Path directory =
            directories.get(StateBackend.partitionPath(held.stageName(), held.partition()));
        int stageId = Integer.parseInt(held.stageName().substring("stage-".length()));
        opens.add(new SparkBatchRunner.PlacedTask<>(held.stageName(), held.partition(), false,
            new RestoreCall(program, stageId, PartitionFiles.read(directory), move.to()),
            move.to()));
      }
      List<PartitionResult<Long>> opened =
          runner.runStateJob(batchId, "balance after batch " + batchId, opens);
      jobs++;
      List<SparkBatchRunner.PlacedTask<Boolean>> releases = new ArrayList<>();
      List<String> moved = new ArrayList<>();
      for (int i = 0; i < moves.size(); i++) {
        PartitionBalancer.Move<Held> move = moves.get(i);
        if (opened.get(i).value() < 0) {
          continue;
        }
        runner.placement().ranOn(
            move.partition().stageName(), move.partition().partition(), move.to());
        executorsUsed.add(move.to());
        releases.add(new SparkBatchRunner.PlacedTask<>(move.partition().stageName(),
            move.partition().partition(), false, new ReleaseCall(move.from()), move.from()));
        moved.add(move.partition().stageName() + "/" + move.partition().partition() + " "
            + move.from() + " -> " + move.to());
      }
      if (!releases.isEmpty()) {
        runner.runStateJob(batchId, "release moved partitions after batch " + batchId, releases);
        jobs++;
      }
      refreshHolderIds();
      LOG.info("Balanced executors after batch {}: moved {}", batchId, moved);
    } catch (Exception e) {
      balancing = false;
      LOG.warn("Moving partitions to balance executors failed after batch {}; they stay where "
          + "they are for the rest of the run", batchId, e);
    }
  }


  /**
   * One job, a {@link RestoreCall} per partition carrying its snapshot files, placed by Spark
   * (keyed tasks with no holder yet): where it lands becomes the partition's holder.
   */
  @Override
  public void restoreState(List<PartitionSnapshot> snapshots) throws Exception {
    if (program == null) {
      throw new IllegalStateException("start() was not called");
    }
    if (snapshots.isEmpty()) {
      return;
    }
    List<SparkBatchRunner.PlacedTask<Long>> calls = new ArrayList<>();
    Map<Held, ExecutorLocation> holders = currentHolders();
    List<ExecutorLocation> live = liveExecutors();
    for (PartitionSnapshot snapshot : snapshots) {
      if (runner.placement().lastExecutor(snapshot.stateName(), snapshot.partition()) != null) {
        throw new IllegalStateException("Partition " + snapshot.partition() + " of "
            + snapshot.stateName() + " already ran in this run; it cannot be restored now");
      }
      int stageId = Integer.parseInt(snapshot.stateName().substring("stage-".length()));
      // Preferred, not required: where the restore lands becomes the holder.
      ExecutorLocation target = PartitionBalancer.leastLoaded(holders, live);
      if (target != null) {
        holders.put(new Held(snapshot.stateName(), snapshot.partition()), target);
      }
      calls.add(new SparkBatchRunner.PlacedTask<>(snapshot.stateName(), snapshot.partition(),
          true, new RestoreCall(program, stageId, PartitionFiles.read(snapshot.directory()), null),
          target));
    }
    // Recorded as runs: the executor that restored a partition holds it from now on.
    List<PartitionResult<Long>> results = runner.runJob(batch, "restore", calls);
    jobs++;
    long bytes = 0;
    for (int i = 0; i < results.size(); i++) {
      executorsUsed.add(results.get(i).executor());
      keyedPartitions.add(
          new Held(snapshots.get(i).stateName(), snapshots.get(i).partition()));
      bytes += results.get(i).value();
    }
    refreshHolderIds();
    LOG.info("Restored {} partitions on the executors: {} bytes sent from the driver",
        snapshots.size(), bytes);
  }

  /** Checkpoints taken through this executor and the snapshot bytes brought to the driver. */
  public long snapshots() {
    return snapshots;
  }

  public long snapshotBytes() {
    return snapshotBytes;
  }

  /**
   * One task per executor that ran a task of this run, pinned to it: releases the run's state
   * there and tears its DoFns down ({@link EndOfRun}).
   */
  private void endRun() {
    if (program == null
        || (executorsUsed.isEmpty() && executorsListener.ranTasks().isEmpty())) {
      return;
    }
    List<SparkBatchRunner.PlacedTask<Boolean>> tasks = new ArrayList<>();
    int index = 0;
    Set<String> alive = liveExecutorIds();
    // Also executors whose tasks' results never reached the driver: they may hold state too.
    Set<ExecutorLocation> ran = new LinkedHashSet<>(executorsUsed);
    ran.addAll(executorsListener.ranTasks());
    for (ExecutorLocation executor : ran) {
      if (!alive.contains(executor.executorId())) {
        LOG.warn("Executor {} is gone: nothing of this run to release there", executor);
        continue;
      }
      tasks.add(SparkBatchRunner.PlacedTask.on(
          executor, "end", index++, new EndOfRun(program, executor)));
    }
    if (tasks.isEmpty()) {
      return;
    }
    List<PartitionResult<Boolean>> results = runner.runStateJob(batch, "end of run", tasks);
    jobs++;
    long missed = results.stream().filter(r -> !r.value()).count();
    if (missed > 0) {
      LOG.warn("The end of the run did not reach {} of {} executors (their tasks ran elsewhere):"
          + " their DoFns are not torn down, their state stays until they exit", missed,
          results.size());
    }
  }

  /** The executors that ran at least one task of this run. */
  public Set<ExecutorLocation> executorsUsed() {
    return Collections.unmodifiableSet(executorsUsed);
  }

  /** Where keyed partitions ran, and how often they stayed on their executor. */
  public PartitionPlacement placement() {
    return runner.placement();
  }

  /** Spark jobs this executor ran (stage rounds, commits, aborts). */
  public long jobs() {
    return jobs;
  }

  /**
   * The engine hands a remote executor serializable tasks ({@link #runRemote}) and snapshots
   * through {@link #snapshotState}; closures over driver objects cannot run here.
   */
  @Override
  public <T> List<T> runAll(List<? extends Callable<T>> tasks) {
    throw new UnsupportedOperationException(
        "The Spark executor runs engine tasks through runRemote; it cannot run local closures");
  }

  @Override
  public void close() {
    LOG.info("Ran {} Spark jobs on executors {}; keyed partition runs stayed on their executor "
        + "{} times, moved {} times", jobs, executorsUsed, runner.placement().stayed(),
        runner.placement().moved());
    try {
      endRun();
    } catch (Exception e) {
      LOG.warn("Could not end the run on the executors: DoFns not torn down, state left open "
          + "until the executors exit", e);
    } finally {
      spark.sc().removeSparkListener(executorsListener);
      if (program != null) {
        program.destroy();
      }
      if (ownsContext) {
        spark.stop();
      }
    }
  }

  @Override
  public String toString() {
    return "Spark executor (" + spark.master() + ")";
  }
}
