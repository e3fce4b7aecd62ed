package io.microbatch.state;

import org.apache.beam.runners.core.StateInternals;
import org.joda.time.Instant;

/**
 * All keyed state and timers of one partition of one keyed stage. Accessed by one thread at a time
 * (the task running that partition). Writes of a batch are visible to later reads of the same
 * batch, and become the committed state only at {@link #commit()}; {@link #abort()} discards them,
 * so a failed batch leaves the committed state as it was.
 */
public interface PartitionState extends AutoCloseable {

  /** Beam state for one key; {@code userKey} is what {@link StateInternals#getKey()} returns. */
  StateInternals stateFor(ByteKey key, Object userKey);

  /** The timers of every key of this partition, with a time-ordered index. */
  TimerStore timers();

  /**
   * The earliest watermark hold over all keys and windows of this partition, or {@code null} if
   * nothing holds the output watermark.
   */
  Instant earliestHold();

  /** True when no key has any state or timer left (every window was garbage-collected). */
  boolean isEmpty();

  /** Makes this batch's writes (state and timers) the committed state, all or nothing. */
  void commit();

  /**
   * Discards every write since the last {@link #commit()} (state and timers), returning to the
   * committed state. Call it when a batch fails; the partition can then run the batch again.
   */
  void abort();

  /**
   * Writes the committed state (state and timers) as a self-contained copy into {@code dir},
   * which must not exist yet. Call between batches, after {@link #commit()}: uncommitted writes
   * are refused. The copy does not change when the partition goes on (files are hard-linked or
   * copied), so it can be uploaded while the next batch runs.
   *
   * @throws UnsupportedOperationException if the backend cannot snapshot state
   * @throws IllegalStateException if the batch has uncommitted writes
   */
  default void snapshot(java.nio.file.Path dir) {
    throw new UnsupportedOperationException("This state backend cannot checkpoint state; use "
        + "--stateBackend=rocksdb with --checkpointDir");
  }

  /**
   * Approximate bytes the committed state and timers take (for batch statistics); -1 when the
   * backend cannot tell cheaply. Call between batches.
   */
  default long approximateSizeBytes() {
    return -1;
  }

  @Override
  void close();
}
