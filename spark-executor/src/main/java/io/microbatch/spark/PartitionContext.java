package io.microbatch.spark;

import io.microbatch.state.PartitionState;

/**
 * What a {@link RemotePartitionTask} sees on the executor: its coordinates and its partition's
 * keyed state, which stays open in this executor between batches.
 */
public final class PartitionContext {
  private final PartitionTaskDescription description;
  private final ExecutorStateRegistry registry;
  private final ExecutorLocation executor;
  private PartitionState state;
  private boolean stateOpened;

  PartitionContext(PartitionTaskDescription description, ExecutorStateRegistry registry,
      ExecutorLocation executor) {
    this.description = description;
    this.registry = registry;
    this.executor = executor;
  }

  /** The executor this task runs on. */
  public ExecutorLocation executor() {
    return executor;
  }

  /** The job whose state this task uses. */
  public String jobId() {
    return description.jobId();
  }

  /**
   * The partition's state if this executor already holds it open, else null; never opens it.
   * Waits until no other task uses it (a straggler of a failed Spark job may still run).
   */
  public PartitionState heldState() throws InterruptedException {
    if (state == null) {
      state = registry.acquireIdle(
          description.jobId(), description.stageId(), description.partition());
    }
    return state;
  }

  /** Gives the partition's state back if this task acquired it; called when the task ends. */
  void close() {
    if (state != null) {
      registry.giveBack(description.jobId(), description.stageId(), description.partition());
      state = null;
    }
  }

  /** Closes this task's partition on this executor (it moved); true if it was held here. */
  public boolean releaseState() throws InterruptedException {
    return registry.releasePartition(
        description.jobId(), description.stageId(), description.partition());
  }

  /**
   * Closes every partition of this task's job held on this executor, once no task uses them;
   * returns how many.
   */
  public int releaseJobState() throws InterruptedException {
    return registry.releaseJob(description.jobId());
  }


  public String stageId() {
    return description.stageId();
  }

  public int partition() {
    return description.partition();
  }

  public long batchId() {
    return description.batchId();
  }

  /**
   * The partition's state on this executor, opened on first use here (empty for now: reopening
   * from a shared checkpoint is the next step of issue #10) and kept open for later batches.
   */
  public PartitionState state() {
    if (state == null) {
      ExecutorStateRegistry.Lease lease = registry.acquire(
          description.jobId(), description.stageId(), description.partition(),
          description.state());
      state = lease.state();
      stateOpened = lease.opened();
    }
    return state;
  }

  /**
   * Opens the partition on this executor from a checkpoint's snapshot files (it must not be
   * held here yet) and keeps it open for later batches, as {@link #state()} keeps a new one.
   */
  public PartitionState restoredState(PartitionFiles files) throws java.io.IOException {
    if (state != null) {
      throw new IllegalStateException("This task already acquired its partition's state");
    }
    state = registry.acquireRestored(description.jobId(), description.stageId(),
        description.partition(), description.state(), files);
    stateOpened = true;
    return state;
  }

  /** True if {@link #state()} opened the partition here rather than finding it open. */
  public boolean stateOpened() {
    return stateOpened;
  }
}
