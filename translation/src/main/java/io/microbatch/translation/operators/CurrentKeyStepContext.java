package io.microbatch.translation.operators;

import io.microbatch.engine.operator.KeyedContext;
import io.microbatch.state.ByteKey;
import org.apache.beam.runners.core.StateInternals;
import org.apache.beam.runners.core.StateNamespace;
import org.apache.beam.runners.core.StateTag;
import org.apache.beam.runners.core.StepContext;
import org.apache.beam.runners.core.TimerInternals;
import org.apache.beam.sdk.state.State;
import org.apache.beam.sdk.state.StateContext;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.transforms.DoFn;
import org.joda.time.Instant;

/**
 * A {@link StepContext} whose state and timers are those of the key being processed. Runners-core
 * wrappers capture their state and timer internals once, so these delegate to the current key.
 */
final class CurrentKeyStepContext implements StepContext {
  private final DoFn.BundleFinalizer finalizer;
  private final KeyedContext context;
  private StateInternals state;
  private TimerInternals timers;
  private Object userKey;

  private final StateInternals stateView =
      new StateInternals() {
        @Override
        public Object getKey() {
          return userKey;
        }

        @Override
        public <T extends State> T state(
            StateNamespace namespace, StateTag<T> address, StateContext<?> c) {
          return state.state(namespace, address, c);
        }
      };

  private final TimerInternals timerView =
      new TimerInternals() {
        @Override
        public void setTimer(
            StateNamespace namespace,
            String timerId,
            String timerFamilyId,
            Instant target,
            Instant outputTimestamp,
            TimeDomain timeDomain) {
          timers.setTimer(namespace, timerId, timerFamilyId, target, outputTimestamp, timeDomain);
        }

        @Override
        @SuppressWarnings("deprecation")
        public void setTimer(TimerData timerData) {
          timers.setTimer(timerData);
        }

        @Override
        public void deleteTimer(
            StateNamespace namespace, String timerId, String timerFamilyId, TimeDomain domain) {
          timers.deleteTimer(namespace, timerId, timerFamilyId, domain);
        }

        @Override
        @SuppressWarnings("deprecation")
        public void deleteTimer(StateNamespace namespace, String timerId, String timerFamilyId) {
          timers.deleteTimer(namespace, timerId, timerFamilyId);
        }

        @Override
        @SuppressWarnings("deprecation")
        public void deleteTimer(TimerData timerKey) {
          timers.deleteTimer(timerKey);
        }

        @Override
        public Instant currentProcessingTime() {
          return context.time().processingTime();
        }

        @Override
        public Instant currentSynchronizedProcessingTime() {
          return context.time().synchronizedProcessingTime();
        }

        @Override
        public Instant currentInputWatermarkTime() {
          return context.time().inputWatermark();
        }

        @Override
        public Instant currentOutputWatermarkTime() {
          return context.time().outputWatermark();
        }
      };

  CurrentKeyStepContext(KeyedContext context) {
    this.context = context;
    this.finalizer = new EngineBundleFinalizer(context);
  }

  void setKey(ByteKey key, Object userKey) {
    this.userKey = userKey;
    this.state = context.state(key, userKey);
    this.timers = context.timers(key);
  }

  Object userKey() {
    return userKey;
  }

  @Override
  public StateInternals stateInternals() {
    return stateView;
  }

  @Override
  public TimerInternals timerInternals() {
    return timerView;
  }

  @Override
  public DoFn.BundleFinalizer bundleFinalizer() {
    return finalizer;
  }
}
