package io.microbatch.state;

import org.apache.beam.runners.core.StateInternals;
import org.joda.time.Instant;

/**
 * All keyed state and timers of one partition of one keyed stage. Accessed by one thread at a time
 * (the task running that partition); the engine calls {@link #commit()} once the batch succeeded.
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

  /** Makes this batch's writes the committed state. */
  void commit();

  @Override
  void close();
}
