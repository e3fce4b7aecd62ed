package io.microbatch.spark;

import io.microbatch.state.PartitionState;

/**
 * What a {@link RemotePartitionTask} sees on the executor: its coordinates and its partition's
 * keyed state, which stays open in this executor between batches.
 */
public final class PartitionContext {
  private final PartitionTaskDescription description;
  private final ExecutorStateRegistry registry;
  private PartitionState state;
  private boolean stateOpened;

  PartitionContext(PartitionTaskDescription description, ExecutorStateRegistry registry) {
    this.description = description;
    this.registry = registry;
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

  boolean stateOpened() {
    return stateOpened;
  }
}
