package io.microbatch.engine.clock;

import org.joda.time.Instant;

/** The processing time of the engine: wall time in production, a manual clock in tests. */
public interface BatchClock {
  Instant now();

  /** The wall clock. */
  BatchClock SYSTEM = Instant::now;
}
