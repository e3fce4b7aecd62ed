package io.microbatch.engine.clock;

import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * A clock that moves only when told to, driven by a TestStream's processing-time events. It starts
 * at the beginning of time, as Beam's Direct runner's test clock does.
 */
public final class ManualClock implements BatchClock {
  private volatile Instant now = BoundedWindow.TIMESTAMP_MIN_VALUE;

  @Override
  public Instant now() {
    return now;
  }

  @Override
  public boolean isManual() {
    return true;
  }

  /** Moves the clock forward; processing time never goes back. */
  public synchronized void advance(Duration amount) {
    if (amount.isShorterThan(Duration.ZERO)) {
      throw new IllegalArgumentException("Processing time cannot move back by " + amount);
    }
    now = now.plus(amount);
  }
}
