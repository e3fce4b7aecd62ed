package io.microbatch.state;

import org.apache.beam.runners.core.StateNamespace;
import org.apache.beam.runners.core.TimerInternals.TimerData;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * The timers of a partition. A timer is identified by (key, namespace, timer id, family id); setting
 * it again replaces it, whatever its domain, as runners-core's {@code TimerInternals} specifies.
 */
public interface TimerStore {

  /**
   * Makes timers whose namespace is a window of {@code windowCoder} decodable. Call it when the
   * partition opens, before any timer is read, with the window coder of the step that owns the
   * partition: timers restored from a checkpoint may fire before this process sets any timer, and a
   * backend that stores a window namespace as its encoded window needs the coder to decode it.
   * Registering a coder again is harmless.
   */
  void registerWindowCoder(Coder<? extends BoundedWindow> windowCoder);

  void set(ByteKey key, TimerData timer);

  void delete(ByteKey key, StateNamespace namespace, String timerId, String timerFamilyId);

  /**
   * Deletes every timer of a key in one namespace, whatever its id, family or domain: used when
   * the window behind the namespace expired, since its processing-time timers would only be
   * ignored when they fire yet would hold the watermark until then.
   */
  void deleteNamespace(ByteKey key, StateNamespace namespace);

  /**
   * Removes and returns the earliest timer of {@code domain} whose timestamp is strictly before
   * {@code limit}, or {@code null} if none is due.
   */
  @Nullable
  KeyedTimer pollDue(TimeDomain domain, Instant limit);

  /** The earliest output timestamp of any pending timer (it holds the output watermark). */
  @Nullable
  Instant earliestOutputTimestamp();

  /** The earliest firing timestamp in the domain, or {@code null}. */
  @Nullable
  Instant nextTimestamp(TimeDomain domain);

  boolean isEmpty();
}
