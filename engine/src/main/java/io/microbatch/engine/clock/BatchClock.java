package io.microbatch.engine.clock;

import org.joda.time.Instant;

/** The processing time of the engine: wall time in production, a manual clock in tests. */
public interface BatchClock {
  Instant now();

  /**
   * True when time only moves when the pipeline moves it (TestStream): batches then run back to
   * back instead of on the interval, and nothing waits for wall time.
   */
  default boolean isManual() {
    return false;
  }

  /** The wall clock. */
  BatchClock SYSTEM = Instant::now;
}
