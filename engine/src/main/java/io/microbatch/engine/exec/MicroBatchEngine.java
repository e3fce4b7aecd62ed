package io.microbatch.engine.exec;

import io.microbatch.engine.checkpoint.BatchLogEntry;
import io.microbatch.engine.checkpoint.Checkpointer;
import io.microbatch.engine.clock.BatchClock;
import io.microbatch.engine.graph.DatasetId;
import io.microbatch.engine.graph.Step;
import io.microbatch.engine.graph.StepGraph;
import io.microbatch.engine.graph.ViewId;
import io.microbatch.engine.metrics.StepMetrics;
import io.microbatch.engine.plan.Stage;
import io.microbatch.engine.plan.StagePlanner;
import io.microbatch.engine.rate.IntakeController;
import io.microbatch.engine.source.SourceSplit;
import io.microbatch.engine.stats.BatchHistory;
import io.microbatch.engine.stats.BatchListener;
import io.microbatch.engine.stats.BatchMetricsReporter;
import io.microbatch.engine.stats.BatchStatistics;
import io.microbatch.engine.view.ViewStore;
import io.microbatch.engine.watermark.WatermarkTracker;
import io.microbatch.state.PartitionState;
import io.microbatch.state.StateBackend;
import java.io.Closeable;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.beam.runners.core.metrics.MetricsContainerStepMap;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.metrics.MetricResults;
import org.apache.beam.sdk.metrics.MetricsEnvironment;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.WindowedValue;
import org.joda.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The micro-batch engine. Each batch: plan the sources' slices, run rounds over the stages in
 * topological order until nothing moves (data delivered, watermarks advanced, due timers fired),
 * then commit state and metrics. Bounded input is the same loop: it ends when every watermark
 * reached the end of time.
 */
public final class MicroBatchEngine {
  private static final Logger LOG = LoggerFactory.getLogger(MicroBatchEngine.class);
  private static final int MAX_ROUNDS_PER_BATCH = 100_000;
  private static final int BATCH_HISTORY = 1_000;
  private static final Duration IDLE_PAUSE = Duration.ofMillis(100);

  private final StepGraph graph;
  private final EngineConfig config;
  private final List<Stage> stages;
  private final WatermarkTracker watermarks;
  private final ViewStore views;
  private final StepMetrics metrics = new StepMetrics();
  private final Map<Stage, StageRuntime> runtimes = new LinkedHashMap<>();
  private final Map<Stage, Integer> keyedPartitions = new HashMap<>();
  private final Map<ViewId, DatasetId> viewInputs = new HashMap<>();
  private final TaskExecutor executor;
  /** The executor again when its tasks run in other processes, else null. */
  private final RemoteTaskExecutor remote;
  private final RemoteProgram remoteProgram;
  /**
   * With a remote executor: local threads for the source tasks whose splits cannot travel
   * ({@link io.microbatch.engine.source.LocalSourceSplit}), created on first use; else null.
   */
  private ThreadPoolTaskExecutor driverPool;
  private final List<Runnable> afterCommit = new ArrayList<>();
  /** Committed metrics as of this engine's last few checkpoints, by batch id. */
  private final java.util.TreeMap<Long, MetricsContainerStepMap> committedAtCheckpoint =
      new java.util.TreeMap<>();
  private static final int CHECKPOINT_METRICS_KEPT = 3;
  /** What an earlier attempt of this run left, taken over once the restored batch is known. */
  private MetricsCarry carried;

  /** An earlier attempt's metrics: all it attempted, and its committed metrics per checkpoint. */
  private record MetricsCarry(
      MetricsContainerStepMap attempted, Map<Long, MetricsContainerStepMap> committedAt) {}
  private final BatchHistory history = new BatchHistory(BATCH_HISTORY);
  private final List<BatchListener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
  private long recordsReadThisBatch;
  private volatile int partitionsWithStateLeft;
  private volatile boolean cancelled;
  private Checkpointer checkpointer;
  /** Batches logged before a restart and not yet run again, by batch id. */
  private final java.util.NavigableMap<Long, BatchLogEntry> toReplay = new java.util.TreeMap<>();
  private long batches;

  /** An engine that runs partition tasks on {@code config.parallelism()} local threads. */
  public MicroBatchEngine(StepGraph graph, EngineConfig config) {
    this(graph, config, new ThreadPoolTaskExecutor(config.parallelism()));
  }

  /**
   * An engine that runs partition tasks and partition snapshots on {@code executor}, which it
   * closes when the run ends.
   */
  public MicroBatchEngine(StepGraph graph, EngineConfig config, TaskExecutor executor) {
    this.executor = executor;
    this.graph = graph;
    this.config = config;
    this.stages = new StagePlanner().plan(graph);
    this.watermarks = new WatermarkTracker(graph.steps());
    for (Step step : graph.steps()) {
      if (step instanceof Step.ViewStep view) {
        viewInputs.put(view.view(), view.input());
      }
    }
    this.views = new ViewStore(view -> watermarks.of(viewInputs.get(view)));
    for (Step step : graph.steps()) {
      if (step instanceof Step.ViewStep view && view.triggered()) {
        views.declareTriggered(view.view());
      }
    }
    this.remote = executor instanceof RemoteTaskExecutor r ? r : null;
    // Built here so that a step that cannot travel fails the construction, naming the step.
    this.remoteProgram =
        remote == null ? null : RemoteProgram.of(graph, stages, config.parallelism());
  }

  /** The stages the graph was cut into, in execution order. */
  public List<Stage> stages() {
    return stages;
  }

  public MetricResults metrics() {
    return metrics.results();
  }

  /** The current watermark of every dataset. */
  public Map<DatasetId, Instant> watermarks() {
    return watermarks.snapshot();
  }

  /** Registers a listener told about every batch committed from now on. */
  public void addBatchListener(BatchListener listener) {
    listeners.add(listener);
  }

  /** Statistics of the most recent committed batches, oldest first. */
  public List<BatchStatistics> recentBatches() {
    return history.recent();
  }

  /**
   * After a run that ended normally: how many keyed partitions still held state or timers, which
   * garbage collection at window expiry should have made zero.
   */
  public int partitionsWithStateLeft() {
    return partitionsWithStateLeft;
  }

  /** Asks the loop to stop after the running batch. */
  public void cancel() {
    cancelled = true;
  }

  /** Runs batches until all input is consumed and every watermark reached the end of time. */
  public void run() throws Exception {
    Throwable failure = null;
    try {
      long batchId = open();
      java.time.Instant scheduled = java.time.Instant.now();
      while (!cancelled) {
        BatchStatistics stats = runBatch(batchId, scheduled);
        batchId++;
        if (isFinished()) {
          break;
        }
        scheduled = waitForNextBatch(stats);
      }
    } catch (Exception | Error e) {
      failure = e;
      throw e;
    } finally {
      close(failure);
    }
  }

  /** Opens state (restoring a checkpoint if there is one); returns the first batch id to run. */
  private long open() throws Exception {
    Optional<Checkpointer.RestoredCheckpoint> restored =
        checkpointer == null ? Optional.empty() : checkpointer.restore();
    for (Stage stage : stages) {
      PartitionState[] states = new PartitionState[0];
      int partitions = 0;
      if (stage.head() instanceof Step.KeyedStep) {
        partitions = config.parallelism();
        keyedPartitions.put(stage, partitions);
        states = new PartitionState[partitions];
        Coder<? extends BoundedWindow> windowCoder =
            ((Step.KeyedStep) stage.head()).factory().timerWindowCoder();
        for (int p = 0; p < partitions; p++) {
          if (remote != null) {
            // The executor opens the partition where its tasks run; the driver keeps a summary.
            states[p] = new RemotePartitionState();
            continue;
          }
          states[p] = config.stateBackend().open("stage-" + stage.id(), p);
          if (windowCoder != null) {
            // Before any timer is read: restored timers may fire before the step sets one.
            states[p].timers().registerWindowCoder(windowCoder);
          }
        }
      }
      StageRuntime runtime = new StageRuntime(stage, partitions, states);
      if (stage.head() instanceof Step.SourceStep
          && config.streaming()
          && config.backpressure()
          && !config.clock().isManual()) {
        runtime.intake = IntakeController.withDefaultGains(config.batchInterval());
      }
      runtimes.put(stage, runtime);
    }
    LOG.info("Running {} steps in {} stages with parallelism {}{}", graph.steps().size(),
        stages.size(), config.parallelism(), remote == null ? "" : " on " + remote);
    if (remote != null) {
      remote.start(remoteProgram);
    }
    carryMetrics(restored.map(Checkpointer.RestoredCheckpoint::batchId).orElse(-1L));
    if (restored.isEmpty()) {
      return 0;
    }
    Checkpointer.RestoredCheckpoint checkpoint = restored.get();
    if (remote != null && checkpoint.engineState() != null) {
      restoreRemotePartitions();
    }
    if (checkpoint.engineState() != null) {
      new EngineStateCodec(graph, views, viewInputs).restore(runtimes, checkpoint.engineState());
      for (StageRuntime runtime : runtimes.values()) {
        watermarks.reportHeadOutput(runtime.stage.head(), runtime.reportedOutput);
      }
      watermarks.recompute();
    }
    for (Checkpointer.LoggedBatch logged : checkpoint.replay()) {
      toReplay.put(logged.batchId(), BatchLogEntry.decode(logged.batchId(), logged.entry()));
    }
    LOG.info(
        "Resumed from {}, replaying {} logged batches",
        checkpoint.batchId() < 0 ? "empty state" : "the checkpoint of batch " + checkpoint.batchId(),
        toReplay.size());
    return checkpoint.batchId() + 1;
  }

  /**
   * With a remote executor, after the checkpointer restored the checkpoint into the driver's
   * state backend: opens each keyed partition there, snapshots it into a scratch directory and
   * has the executor open it from that snapshot where it will run. The driver's copy is closed
   * again; it only ever held the restored files.
   */
  private void restoreRemotePartitions() throws Exception {
    java.nio.file.Path scratch = Files.createTempDirectory("microbatch-restore-remote-");
    try {
      List<RemoteTaskExecutor.PartitionSnapshot> snapshots = new ArrayList<>();
      for (StageRuntime runtime : runtimes.values()) {
        String name = "stage-" + runtime.stage.id();
        Coder<? extends BoundedWindow> windowCoder =
            runtime.stage.head() instanceof Step.KeyedStep keyed
                ? keyed.factory().timerWindowCoder() : null;
        for (int p = 0; p < runtime.states.length; p++) {
          java.nio.file.Path dir = scratch.resolve(StateBackend.partitionPath(name, p));
          Files.createDirectories(dir.getParent());
          try (PartitionState restored = config.stateBackend().open(name, p)) {
            if (windowCoder != null) {
              restored.timers().registerWindowCoder(windowCoder);
            }
            if (restored.isEmpty()) {
              continue;
            }
            restored.snapshot(dir);
          }
          snapshots.add(new RemoteTaskExecutor.PartitionSnapshot(name, p, dir));
        }
      }
      remote.restoreState(snapshots);
      LOG.info("Restored {} keyed partitions with state on {}", snapshots.size(), remote);
    } finally {
      deleteRecursively(scratch);
    }
  }

  /**
   * This engine resumes the run of {@code previous} (in-process recovery): its metrics start from
   * everything {@code previous} attempted and what it had committed up to the checkpoint this
   * engine restores, so committed metrics count every batch once across the attempts.
   */
  public void carryMetricsFrom(MicroBatchEngine previous) {
    Map<Long, MetricsContainerStepMap> committedAt;
    synchronized (previous.committedAtCheckpoint) {
      committedAt = new java.util.HashMap<>(previous.committedAtCheckpoint);
    }
    if (previous.carried != null) {
      // A checkpoint older than the previous attempt's first one was taken by an earlier attempt.
      previous.carried.committedAt().forEach(committedAt::putIfAbsent);
    }
    carried = new MetricsCarry(previous.metrics.attemptedCopy(), committedAt);
  }

  private void carryMetrics(long restoredBatch) {
    if (carried == null) {
      return;
    }
    MetricsContainerStepMap committed = restoredBatch < 0
        ? new MetricsContainerStepMap() : carried.committedAt().get(restoredBatch);
    if (committed == null) {
      LOG.warn("No committed metrics of the earlier attempt at the checkpoint of batch {}: "
          + "committed metrics count from the restored batch on", restoredBatch);
      committed = new MetricsContainerStepMap();
    }
    metrics.carry(carried.attempted(), committed);
    carried = new MetricsCarry(new MetricsContainerStepMap(), carried.committedAt());
  }

  /** Uses a checkpointer: restores its newest checkpoint at start and writes new ones. */
  public void checkpointWith(Checkpointer checkpointer) {
    this.checkpointer = checkpointer;
  }

  /**
   * After a committed batch, every so many batches: the engine state and partition snapshots.
   * Returns true if a checkpoint was taken.
   */
  private boolean maybeCheckpoint(long batchId) throws Exception {
    if ((batchId + 1) % checkpointer.intervalBatches() != 0) {
      return false;
    }
    long started = System.nanoTime();
    java.nio.file.Path scratch = Files.createTempDirectory("microbatch-checkpoint-");
    long snapshotted;
    try {
      Map<String, java.nio.file.Path> partitions =
          remote != null ? remote.snapshotState(batchId, scratch) : snapshotPartitions(scratch);
      snapshotted = System.nanoTime();
      byte[] engineState = new EngineStateCodec(graph, views, viewInputs).encode(runtimes);
      checkpointer.checkpoint(batchId, engineState, partitions);
    } finally {
      deleteRecursively(scratch);
    }
    long finished = System.nanoTime();
    LOG.debug("Checkpoint of batch {} took {} ms: partition snapshots {} ms, publish {} ms",
        batchId, (finished - started) / 1_000_000, (snapshotted - started) / 1_000_000,
        (finished - snapshotted) / 1_000_000);
    return true;
  }

  /**
   * Snapshots every keyed partition into {@code scratch/<partition path>}, on the task executor:
   * the batch has committed, so the workers are idle, and a RocksDB snapshot mostly waits for
   * its memtable flushes to reach the disk, which partitions can do side by side.
   */
  private Map<String, java.nio.file.Path> snapshotPartitions(java.nio.file.Path scratch)
      throws Exception {
    Map<String, java.nio.file.Path> partitions = new LinkedHashMap<>();
    List<Callable<Void>> snapshots = new ArrayList<>();
    for (StageRuntime runtime : runtimes.values()) {
      for (int p = 0; p < runtime.states.length; p++) {
        String name = StateBackend.partitionPath("stage-" + runtime.stage.id(), p);
        java.nio.file.Path dir = scratch.resolve(name);
        Files.createDirectories(dir.getParent());
        PartitionState state = runtime.states[p];
        snapshots.add(() -> {
          state.snapshot(dir);
          return null;
        });
        partitions.put(name, dir);
      }
    }
    executor.runAll(snapshots);
    return partitions;
  }

  private static void deleteRecursively(java.nio.file.Path root) throws java.io.IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (java.util.stream.Stream<java.nio.file.Path> paths = Files.walk(root)) {
      for (java.nio.file.Path path :
          paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  private boolean isFinished() {
    return allSourcesExhausted() && watermarks.allAtEndOfTime();
  }

  private boolean allSourcesExhausted() {
    for (Stage stage : stages) {
      if (stage.head() instanceof Step.SourceStep source && !source.source().isExhausted()) {
        return false;
      }
    }
    return true;
  }

  /**
   * Waits until the next batch is due. While a source has more to read, batches start on the
   * interval in streaming mode and back to back otherwise (and always under a manual clock). Once
   * all input was read, only processing-time timers can move the pipeline.
   */
  private java.time.Instant waitForNextBatch(BatchStatistics last) throws InterruptedException {
    BatchClock clock = config.clock();
    java.time.Instant wallNow = java.time.Instant.now();
    if (!allSourcesExhausted()) {
      java.time.Instant next = wallNow;
      if (config.streaming() && !clock.isManual()) {
        // Fixed rate: a batch that ran long makes the next one late, and that lateness is kept.
        next = last.scheduledStart().plus(config.batchInterval());
      } else if (last.recordsRead() == 0 && !clock.isManual() && !hasWork(clock.now())) {
        // An unbounded source with nothing new, outside streaming mode: do not spin.
        Duration pause =
            IDLE_PAUSE.compareTo(config.batchInterval()) < 0 ? IDLE_PAUSE : config.batchInterval();
        next = wallNow.plus(pause);
      }
      long wait = Duration.between(wallNow, next).toMillis();
      if (wait > 0) {
        Thread.sleep(wait);
      }
      return next;
    }
    Instant now = clock.now();
    if (hasWork(now)) {
      return wallNow;
    }
    Instant next = nextProcessingTimer();
    if (next == null || clock.isManual()) {
      throw new IllegalStateException(
          "The pipeline cannot make progress: input is exhausted but watermarks are stuck at "
              + watermarks.snapshot());
    }
    if (next.isAfter(now)) {
      Thread.sleep(Math.min(next.getMillis() - now.getMillis() + 1, 100));
    }
    return java.time.Instant.now();
  }

  private Instant nextProcessingTimer() {
    Instant next = null;
    for (StageRuntime runtime : runtimes.values()) {
      for (PartitionState state : runtime.states) {
        for (TimeDomain domain :
            List.of(TimeDomain.PROCESSING_TIME, TimeDomain.SYNCHRONIZED_PROCESSING_TIME)) {
          Instant t = state.timers().nextTimestamp(domain);
          if (t != null && (next == null || t.isBefore(next))) {
            next = t;
          }
        }
      }
    }
    return next;
  }

  private BatchStatistics runBatch(long batchId, java.time.Instant scheduled) throws Exception {
    java.time.Instant start = java.time.Instant.now();
    long startNanos = System.nanoTime();
    BatchLogEntry replay = toReplay.remove(batchId);
    recordsReadThisBatch = 0;
    for (StageRuntime runtime : runtimes.values()) {
      runtime.recordsReadThisBatch = 0;
    }
    batches++;
    MetricsContainerStepMap batchMetrics = metrics.newBatch();
    BatchStatistics stats;
    Duration processingTime;
    int rounds = 0;
    try {
      planSources(batchId, replay, batchMetrics);
      // Processing time is frozen for the batch, read after planning (a TestStream moves its
      // clock while it plans): a timer set in this batch fires in a later one, after a commit.
      // A replayed batch runs at the time it ran before, so that it does the same.
      Instant now = replay != null ? replay.processingTime() : config.clock().now();
      while (runRound(batchMetrics, now)) {
        if (++rounds > MAX_ROUNDS_PER_BATCH) {
          throw new IllegalStateException(
              "Batch " + batchId + " did not become quiescent after " + rounds + " rounds");
        }
      }
      if (checkpointer != null && replay == null) {
        // Write-ahead: logged before the state commits and before any output is published, so
        // a crash from here on replays the batch exactly instead of planning it afresh.
        checkpointer.logBatch(batchId, logEntry(now).encode());
      }
      if (remote != null) {
        remote.commitState(batchId);
      } else {
        for (StageRuntime runtime : runtimes.values()) {
          for (PartitionState state : runtime.states) {
            state.commit();
          }
        }
      }
      processingTime = Duration.ofNanos(System.nanoTime() - startNanos);
    } catch (Exception | Error e) {
      metrics.abort(batchMetrics);
      afterCommit.clear();
      // The batch's state and timer writes are discarded: committed state stays as it was.
      if (remote != null) {
        try {
          remote.abortState(batchId);
        } catch (Exception abortFailure) {
          e.addSuppressed(abortFailure);
        }
      } else {
        for (StageRuntime runtime : runtimes.values()) {
          for (PartitionState state : runtime.states) {
            try {
              state.abort();
            } catch (RuntimeException abortFailure) {
              e.addSuppressed(abortFailure);
            }
          }
        }
      }
      throw e;
    }
    runAfterCommit(batchId);
    long checkpointStart = System.nanoTime();
    boolean checkpointed = false;
    if (checkpointer != null) {
      checkpointer.logCommit(batchId);
      checkpointed = maybeCheckpoint(batchId);
      if (checkpointed) {
        // Sources acknowledge what they read only once a checkpoint covers it: a restart
        // replays from the checkpoint and must be able to read those records again.
        finalizeSourceReads(batchId, batchMetrics);
      }
    } else {
      finalizeSourceReads(batchId, batchMetrics);
    }
    Duration checkpointTime =
        checkpointer == null ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - checkpointStart);
    stats = summarize(batchId, scheduled, start, processingTime, checkpointTime, rounds,
        replay != null);
    BatchMetricsReporter.report(stats, batchMetrics::getContainer);
    metrics.commit(batchMetrics);
    if (checkpointed) {
      synchronized (committedAtCheckpoint) {
        committedAtCheckpoint.put(batchId, metrics.committedCopy());
        while (committedAtCheckpoint.size() > CHECKPOINT_METRICS_KEPT) {
          committedAtCheckpoint.pollFirstEntry();
        }
      }
    }
    history.add(stats);
    LOG.atLevel(config.batchLogLevel()).log(stats.summary());
    for (BatchListener listener : listeners) {
      listener.onBatchCommitted(stats);
    }
    return stats;
  }

  /** Hands every source's splits for the batch to its stage: logged ones when replaying. */
  private void planSources(long batchId, BatchLogEntry replay, MetricsContainerStepMap batchMetrics)
      throws Exception {
    for (StageRuntime runtime : runtimes.values()) {
      if (runtime.stage.head() instanceof Step.SourceStep source) {
        // Sources may report metrics while they split, under their own step.
        try (Closeable scope =
            MetricsEnvironment.scopedMetricsContainer(batchMetrics.getContainer(source.name()))) {
          byte[] extent = replay == null ? null : replay.extents().get(source.name());
          if (extent != null) {
            runtime.pendingSplits =
                source.source().replayBatch(batchId, config.parallelism(), extent);
          } else {
            if (replay != null) {
              LOG.warn("Source {} cannot replay batch {}: it reads afresh, so this batch's output "
                  + "may differ from the run before the restart", source.name(), batchId);
            }
            runtime.pendingSplits = source.source().planBatch(batchId, config.parallelism());
          }
        }
      }
    }
  }

  /** What the batch read, per source, once its rounds are done. */
  private BatchLogEntry logEntry(Instant processingTime) throws Exception {
    Map<String, byte[]> extents = new LinkedHashMap<>();
    for (StageRuntime runtime : runtimes.values()) {
      if (runtime.stage.head() instanceof Step.SourceStep source) {
        Optional<byte[]> extent = source.source().batchExtent();
        if (extent.isPresent()) {
          extents.put(source.name(), extent.get());
        }
      }
    }
    return new BatchLogEntry(processingTime, extents);
  }

  /**
   * Lets sources acknowledge (finalize checkpoint marks of) what they read up to the batch, each
   * under its own step's metrics: finalizers may report metrics (KafkaIO counts its offset
   * commits), which count as part of this batch.
   */
  private void finalizeSourceReads(long batchId, MetricsContainerStepMap batchMetrics)
      throws Exception {
    for (StageRuntime runtime : runtimes.values()) {
      if (runtime.stage.head() instanceof Step.SourceStep source) {
        try (Closeable scope =
            MetricsEnvironment.scopedMetricsContainer(batchMetrics.getContainer(source.name()))) {
          source.source().onBatchCommitted(batchId);
        }
      }
    }
  }

  /** Gathers a batch's statistics and feeds each source's backpressure controller. */
  private BatchStatistics summarize(
      long batchId,
      java.time.Instant scheduled,
      java.time.Instant start,
      Duration processingTime,
      Duration checkpointTime,
      int rounds,
      boolean replayed) {
    Duration schedulingDelay =
        start.isAfter(scheduled) ? Duration.between(scheduled, start) : Duration.ZERO;
    Map<String, Long> readPerSource = new LinkedHashMap<>();
    Map<String, Long> intakeLimits = new LinkedHashMap<>();
    for (StageRuntime runtime : runtimes.values()) {
      if (runtime.stage.head() instanceof Step.SourceStep source) {
        readPerSource.put(source.name(), runtime.recordsReadThisBatch);
        if (runtime.intake != null) {
          long limit =
              runtime.intake.update(
                  runtime.recordsReadThisBatch,
                  processingTime,
                  schedulingDelay,
                  checkpointTime,
                  System.nanoTime());
          source.source().limitNextBatch(limit);
          if (limit != Long.MAX_VALUE) {
            intakeLimits.put(source.name(), limit);
          }
        }
      }
    }
    Map<String, Long> watermarkMillis = new LinkedHashMap<>();
    watermarks
        .snapshot()
        .forEach((dataset, mark) -> watermarkMillis.put(dataset.toString(), mark.getMillis()));
    Map<String, Long> stateBytes = new LinkedHashMap<>();
    for (StageRuntime runtime : runtimes.values()) {
      if (runtime.states.length > 0) {
        long bytes = 0;
        for (PartitionState state : runtime.states) {
          long size = state.approximateSizeBytes();
          bytes = size < 0 || bytes < 0 ? -1 : bytes + size;
        }
        stateBytes.put(runtime.stage.head().name(), bytes);
      }
    }
    return new BatchStatistics(
        batchId,
        scheduled,
        start,
        schedulingDelay,
        processingTime,
        rounds,
        recordsReadThisBatch,
        readPerSource,
        intakeLimits,
        watermarkMillis,
        stateBytes,
        checkpointTime,
        replayed);
  }

  /**
   * Runs the committed batch's bundle finalizers (which publish staged output): after the batch
   * was logged and its state committed, so a replay after a crash publishes the same again.
   * Those of remote tasks run in their executor processes.
   */
  private void runAfterCommit(long batchId) throws Exception {
    List<Runnable> callbacks = new ArrayList<>(afterCommit);
    afterCommit.clear();
    for (Runnable callback : callbacks) {
      try {
        callback.run();
      } catch (RuntimeException e) {
        // Callbacks that may fail handle that themselves; one that throws must not be lost.
        throw new IllegalStateException("After-commit work of batch " + batchId + " failed", e);
      }
    }
    if (remote != null) {
      // Work registered by tasks in executor processes runs there.
      remote.runAfterCommit(batchId);
    }
  }

  private boolean hasWork(Instant now) {
    for (Stage stage : stages) {
      if (stageHasWork(runtimes.get(stage), now)) {
        return true;
      }
    }
    return false;
  }

  private boolean stageHasWork(StageRuntime runtime, Instant now) {
    Step head = runtime.stage.head();
    if (head instanceof Step.SourceStep source) {
      return !runtime.pendingSplits.isEmpty()
          || !source.source().watermark().equals(runtime.reportedOutput);
    }
    Instant input =
        head instanceof Step.KeyedStep ? keyedInputWatermark(runtime) : watermarks.inputWatermark(head);
    if (input.isAfter(runtime.processedInputWatermark)) {
      return true;
    }
    if (head instanceof Step.KeyedStep) {
      if (runtime.hasKeyedInput() || retriesPushedBack(runtime)) {
        return true;
      }
      for (PartitionState state : runtime.states) {
        for (TimeDomain domain :
            List.of(TimeDomain.PROCESSING_TIME, TimeDomain.SYNCHRONIZED_PROCESSING_TIME)) {
          Instant t = state.timers().nextTimestamp(domain);
          if (t != null && t.isBefore(now)) {
            return true;
          }
        }
      }
      return false;
    }
    return !runtime.buffered.isEmpty() || retriesPushedBack(runtime);
  }

  /** Pushed-back input is offered again once the head's side inputs moved. */
  private boolean retriesPushedBack(StageRuntime runtime) {
    return runtime.hasPushedBack()
        && !sideInputProgress(runtime.stage.head()).equals(runtime.sideInputProgressAtPushBack);
  }

  /**
   * The input watermark a keyed head may advance to: not past input it pushed back, so that input
   * is not late when its side inputs become ready.
   */
  private Instant keyedInputWatermark(StageRuntime runtime) {
    Instant input = watermarks.inputWatermark(runtime.stage.head());
    Instant held = runtime.earliestKeyedPushedBack();
    return held != null && held.isBefore(input) ? held : input;
  }

  /** How far the head's side inputs are: their watermarks and contents versions. */
  private List<Object> sideInputProgress(Step head) {
    List<ViewId> sideInputs =
        head instanceof Step.ElementStep element
            ? element.sideInputs()
            : head instanceof Step.KeyedStep keyed ? keyed.sideInputs() : List.of();
    List<Object> progress = new ArrayList<>(2 * sideInputs.size());
    for (ViewId view : sideInputs) {
      progress.add(watermarks.of(viewInputs.get(view)));
      progress.add(views.version(view));
    }
    return progress;
  }

  /** Runs every stage that has work, in order; returns false if none had any. */
  private boolean runRound(MetricsContainerStepMap batchMetrics, Instant now) throws Exception {
    boolean any = false;
    for (Stage stage : stages) {
      StageRuntime runtime = runtimes.get(stage);
      if (!stageHasWork(runtime, now)) {
        continue;
      }
      any = true;
      runStage(runtime, batchMetrics, now);
      watermarks.recompute();
    }
    return any;
  }

  private void runStage(StageRuntime runtime, MetricsContainerStepMap batchMetrics, Instant now)
      throws Exception {
    Stage stage = runtime.stage;
    Step head = stage.head();
    List<PartitionTask> tasks = new ArrayList<>();
    if (head instanceof Step.SourceStep source) {
      List<SourceSplit> splits = runtime.pendingSplits;
      runtime.pendingSplits = List.of();
      for (int i = 0; i < splits.size(); i++) {
        tasks.add(
            PartitionTask.forSplit(
                stage, i, batchMetrics, views, keyedPartitions, splits.get(i)));
      }
      for (TaskOutput output : runTasks(tasks)) {
        runtime.recordsReadThisBatch += output.recordsRead;
      }
      runtime.reportedOutput = source.source().watermark();
      watermarks.reportHeadOutput(head, runtime.reportedOutput);
    } else if (head instanceof Step.KeyedStep) {
      // New elements are processed in a round of their own, under the old input watermark, so
      // their results reach downstream before this stage's watermark moves past them.
      boolean retry = retriesPushedBack(runtime);
      Instant input =
          runtime.hasKeyedInput() || retry
              ? runtime.processedInputWatermark
              : keyedInputWatermark(runtime);
      runtime.sideInputProgressAtPushBack = sideInputProgress(head);
      for (int p = 0; p < runtime.states.length; p++) {
        List<ShuffleRecord> records = runtime.keyedInput[p];
        if (retry) {
          runtime.keyedPushedBack[p].addAll(records);
          records = runtime.keyedPushedBack[p];
          runtime.keyedPushedBack[p] = new ArrayList<>();
        }
        runtime.keyedInput[p] = new ArrayList<>();
        tasks.add(
            PartitionTask.forKeyed(
                stage, p, batchMetrics, views, keyedPartitions,
                new PartitionTask.KeyedInput(
                    records, runtime.states[p], runtime.times[p], input, now)));
      }
      List<TaskOutput> outputs = runTasks(tasks);
      Instant out = BoundedWindow.TIMESTAMP_MAX_VALUE;
      for (int p = 0; p < outputs.size(); p++) {
        TaskOutput output = outputs.get(p);
        if (output.outputWatermark.isBefore(out)) {
          out = output.outputWatermark;
        }
        runtime.keyedPushedBack[p].addAll(output.keyedPushedBack);
      }
      Instant held = runtime.earliestKeyedPushedBack();
      if (held != null && held.isBefore(out)) {
        out = held;
      }
      runtime.processedInputWatermark = input;
      runtime.reportedOutput = out;
      watermarks.reportHeadOutput(head, out);
    } else {
      Instant input = watermarks.inputWatermark(head);
      List<WindowedValue<?>> elements = runtime.pushedBack;
      elements.addAll(runtime.buffered);
      runtime.buffered = new ArrayList<>();
      runtime.pushedBack = new ArrayList<>();
      runtime.sideInputProgressAtPushBack = sideInputProgress(head);
      int chunks = Math.max(1, Math.min(config.parallelism(), elements.size()));
      int size = (elements.size() + chunks - 1) / chunks;
      for (int i = 0; i < elements.size(); i += size) {
        tasks.add(
            PartitionTask.forBuffered(
                stage, tasks.size(), batchMetrics, views, keyedPartitions,
                elements.subList(i, Math.min(elements.size(), i + size))));
      }
      Instant out = input;
      for (TaskOutput output : runTasks(tasks)) {
        for (WindowedValue<?> element : output.pushedBack) {
          runtime.pushedBack.add(element);
          if (element.getTimestamp().isBefore(out)) {
            out = element.getTimestamp();
          }
        }
      }
      runtime.processedInputWatermark = input;
      runtime.reportedOutput = out;
      watermarks.reportHeadOutput(head, out);
    }
  }

  /**
   * Runs the tasks on the task executor, delivers their outputs, and rethrows the first failure.
   */
  private List<TaskOutput> runTasks(List<PartitionTask> tasks) throws Exception {
    List<TaskOutput> outputs;
    if (remote == null) {
      outputs = executor.runAll(tasks);
    } else if (readsLocalSplits(tasks)) {
      if (driverPool == null) {
        driverPool = new ThreadPoolTaskExecutor(config.parallelism());
      }
      outputs = driverPool.runAll(tasks);
    } else {
      outputs = new RemoteStageRun(remote, remoteProgram, views,
          view -> watermarks.of(viewInputs.get(view))).run(tasks);
    }
    for (TaskOutput output : outputs) {
      deliver(output);
    }
    return outputs;
  }

  /**
   * True if the tasks read splits that must stay in this process (an unbounded source's open
   * readers); they then run on the driver while keyed and buffered stages run remotely.
   */
  private static boolean readsLocalSplits(List<PartitionTask> tasks) {
    long local = tasks.stream()
        .filter(t -> t.split() instanceof io.microbatch.engine.source.LocalSourceSplit).count();
    if (local > 0 && local < tasks.size()) {
      throw new IllegalStateException("A source stage planned splits of which only some can run "
          + "on a remote executor: " + tasks.get(0).stage());
    }
    return local > 0;
  }

  private void deliver(TaskOutput output) {
    recordsReadThisBatch += output.recordsRead;
    afterCommit.addAll(output.afterCommit);
    for (Map.Entry<Stage, List<ShuffleRecord>[]> shuffle : output.shuffles.entrySet()) {
      StageRuntime target = runtimes.get(shuffle.getKey());
      List<ShuffleRecord>[] buckets = shuffle.getValue();
      for (int p = 0; p < buckets.length; p++) {
        if (buckets[p] != null) {
          target.keyedInput[p].addAll(buckets[p]);
        }
      }
    }
    for (Map.Entry<Stage, List<WindowedValue<?>>> buffer : output.buffers.entrySet()) {
      runtimes.get(buffer.getKey()).buffered.addAll(buffer.getValue());
    }
    for (Map.Entry<ViewId, List<WindowedValue<?>>> view : output.views.entrySet()) {
      views.addAll(view.getKey(), view.getValue());
    }
  }

  private void close(Throwable failure) {
    if (failure == null && !cancelled) {
      // Every window expired at the end of time, so garbage collection must have left nothing.
      for (StageRuntime runtime : runtimes.values()) {
        for (PartitionState state : runtime.states) {
          if (!state.isEmpty()) {
            partitionsWithStateLeft++;
          }
        }
      }
      if (partitionsWithStateLeft > 0) {
        LOG.warn("{} keyed partitions still hold state or timers after the end of time",
            partitionsWithStateLeft);
      }
    }
    List<AutoCloseable> closeables = new ArrayList<>();
    for (Step step : graph.steps()) {
      if (step instanceof Step.ElementStep element) {
        closeables.add(element.factory());
      } else if (step instanceof Step.KeyedStep keyed) {
        closeables.add(keyed.factory());
      } else if (step instanceof Step.SourceStep source) {
        closeables.add(source.source());
      }
    }
    for (StageRuntime runtime : runtimes.values()) {
      closeables.addAll(List.of(runtime.states));
    }
    closeables.add(config.stateBackend());
    if (checkpointer != null) {
      closeables.add(checkpointer);
    }
    for (AutoCloseable closeable : closeables) {
      try {
        closeable.close();
      } catch (Exception e) {
        if (failure != null) {
          failure.addSuppressed(e);
        } else {
          LOG.warn("Failed to close {}", closeable, e);
        }
      }
    }
    if (driverPool != null) {
      driverPool.close();
    }
    executor.close();
    LOG.info("Engine stopped after {} batches", batches);
  }
}
