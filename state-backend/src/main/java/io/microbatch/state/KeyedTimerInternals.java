package io.microbatch.state;

import org.apache.beam.runners.core.StateNamespace;
import org.apache.beam.runners.core.TimerInternals;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.CausedByDrain;
import org.joda.time.Instant;

/** Beam's {@link TimerInternals} for one key, backed by its partition's {@link TimerStore}. */
public final class KeyedTimerInternals implements TimerInternals {
  private final TimerStore store;
  private final ByteKey key;
  private final TimeSource time;

  public KeyedTimerInternals(TimerStore store, ByteKey key, TimeSource time) {
    this.store = store;
    this.key = key;
    this.time = time;
  }

  @Override
  public void setTimer(
      StateNamespace namespace,
      String timerId,
      String timerFamilyId,
      Instant target,
      Instant outputTimestamp,
      TimeDomain timeDomain) {
    setTimer(
        TimerData.of(
            timerId,
            timerFamilyId,
            namespace,
            target,
            outputTimestamp,
            timeDomain,
            CausedByDrain.NORMAL));
  }

  @Override
  public void setTimer(TimerData timerData) {
    store.set(key, timerData);
  }

  @Override
  public void deleteTimer(
      StateNamespace namespace, String timerId, String timerFamilyId, TimeDomain timeDomain) {
    store.delete(key, namespace, timerId, timerFamilyId);
  }

  @Override
  public void deleteTimer(StateNamespace namespace, String timerId, String timerFamilyId) {
    store.delete(key, namespace, timerId, timerFamilyId);
  }

  @Override
  public void deleteTimer(TimerData timerKey) {
    store.delete(key, timerKey.getNamespace(), timerKey.getTimerId(), timerKey.getTimerFamilyId());
  }

  @Override
  public Instant currentProcessingTime() {
    return time.processingTime();
  }

  @Override
  public Instant currentSynchronizedProcessingTime() {
    return time.synchronizedProcessingTime();
  }

  @Override
  public Instant currentInputWatermarkTime() {
    return time.inputWatermark();
  }

  @Override
  public Instant currentOutputWatermarkTime() {
    return time.outputWatermark();
  }

  /** The end of time as Beam's watermarks see it. */
  public static boolean isEndOfTime(Instant instant) {
    return !instant.isBefore(BoundedWindow.TIMESTAMP_MAX_VALUE);
  }
}
