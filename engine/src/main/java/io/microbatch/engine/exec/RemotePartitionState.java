package io.microbatch.engine.exec;

import io.microbatch.state.ByteKey;
import io.microbatch.state.KeyedTimer;
import io.microbatch.state.PartitionState;
import io.microbatch.state.TimerStore;
import org.apache.beam.runners.core.StateInternals;
import org.apache.beam.runners.core.StateNamespace;
import org.apache.beam.runners.core.TimerInternals.TimerData;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.joda.time.Instant;

/**
 * The driver's view of a keyed partition whose state a {@link RemoteTaskExecutor} holds: what the
 * batch loop reads between tasks (when the next processing-time timer is due, whether state is
 * left at the end), as the partition's last task reported it. Reading or writing state here is a
 * bug: it lives in the executor; commit and abort go through {@link RemoteTaskExecutor}.
 */
final class RemotePartitionState implements PartitionState {
  private Instant nextProcessingTimer;
  private Instant nextSynchronizedTimer;
  private boolean empty = true;

  private final TimerStore timers = new TimerStore() {
    @Override
    public void registerWindowCoder(Coder<? extends BoundedWindow> windowCoder) {
      // The executor registers it when it opens the partition.
    }

    @Override
    public void set(ByteKey key, TimerData timer) {
      throw remote();
    }

    @Override
    public void delete(ByteKey key, StateNamespace namespace, String timerId, String family) {
      throw remote();
    }

    @Override
    public void deleteNamespace(ByteKey key, StateNamespace namespace) {
      throw remote();
    }

    @Override
    public KeyedTimer pollDue(TimeDomain domain, Instant limit) {
      throw remote();
    }

    @Override
    public Instant earliestOutputTimestamp() {
      throw remote();
    }

    @Override
    public Instant nextTimestamp(TimeDomain domain) {
      return switch (domain) {
        case PROCESSING_TIME -> nextProcessingTimer;
        case SYNCHRONIZED_PROCESSING_TIME -> nextSynchronizedTimer;
        case EVENT_TIME -> throw remote();
      };
    }

    @Override
    public boolean isEmpty() {
      return empty;
    }
  };

  /** Takes what the partition's latest task reported. */
  void update(RemoteTaskResult result) {
    nextProcessingTimer =
        result.nextProcessingTimer == null ? null : new Instant(result.nextProcessingTimer);
    nextSynchronizedTimer =
        result.nextSynchronizedTimer == null ? null : new Instant(result.nextSynchronizedTimer);
    empty = result.stateEmpty;
  }

  private static IllegalStateException remote() {
    return new IllegalStateException("This partition's state is held by a remote executor");
  }

  @Override
  public StateInternals stateFor(ByteKey key, Object userKey) {
    throw remote();
  }

  @Override
  public TimerStore timers() {
    return timers;
  }

  @Override
  public Instant earliestHold() {
    throw remote();
  }

  @Override
  public boolean isEmpty() {
    return empty;
  }

  @Override
  public void commit() {
    throw remote();
  }

  @Override
  public void abort() {
    throw remote();
  }

  @Override
  public void close() {
    // Nothing held here; the executor releases the partition when the job ends.
  }
}
