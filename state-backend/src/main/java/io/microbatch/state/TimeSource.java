package io.microbatch.state;

import org.joda.time.Instant;

/** The times a keyed operator sees while it runs: its watermarks and the batch's clock. */
public interface TimeSource {
  Instant inputWatermark();

  Instant outputWatermark();

  Instant processingTime();

  Instant synchronizedProcessingTime();
}
