package io.microbatch.translation.operators;

import org.apache.beam.runners.core.StateNamespace;
import org.apache.beam.runners.core.TimerInternals;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.CausedByDrain;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Timers whose processing-time timers must not hold the event-time watermark: those of
 * group-also-by-window (trigger timers) and of splittable DoFn resumption carry a processing time
 * as their output timestamp, which means nothing in event time. They are stored without a hold,
 * as the Direct runner does; watermark-hold state already protects the output.
 */
final class UnheldProcessingTimers implements TimerInternals {
  private static final Instant NO_HOLD = BoundedWindow.TIMESTAMP_MAX_VALUE.plus(Duration.millis(1));

  private final TimerInternals delegate;

  UnheldProcessingTimers(TimerInternals delegate) {
    this.delegate = delegate;
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
            timerId, timerFamilyId, namespace, target, outputTimestamp, timeDomain,
            CausedByDrain.NORMAL));
  }

  @Override
  public void setTimer(TimerData timer) {
    if (timer.getDomain() == TimeDomain.EVENT_TIME) {
      delegate.setTimer(timer);
    } else {
      delegate.setTimer(
          TimerData.of(
              timer.getTimerId(),
              timer.getTimerFamilyId(),
              timer.getNamespace(),
              timer.getTimestamp(),
              NO_HOLD,
              timer.getDomain(),
              timer.causedByDrain()));
    }
  }

  @Override
  public void deleteTimer(
      StateNamespace namespace, String timerId, String timerFamilyId, TimeDomain timeDomain) {
    delegate.deleteTimer(namespace, timerId, timerFamilyId, timeDomain);
  }

  @Override
  public void deleteTimer(StateNamespace namespace, String timerId, String timerFamilyId) {
    delegate.deleteTimer(namespace, timerId, timerFamilyId);
  }

  @Override
  public void deleteTimer(TimerData timerKey) {
    delegate.deleteTimer(timerKey);
  }

  @Override
  public Instant currentProcessingTime() {
    return delegate.currentProcessingTime();
  }

  @Override
  public Instant currentSynchronizedProcessingTime() {
    return delegate.currentSynchronizedProcessingTime();
  }

  @Override
  public Instant currentInputWatermarkTime() {
    return delegate.currentInputWatermarkTime();
  }

  @Override
  public Instant currentOutputWatermarkTime() {
    return delegate.currentOutputWatermarkTime();
  }
}
