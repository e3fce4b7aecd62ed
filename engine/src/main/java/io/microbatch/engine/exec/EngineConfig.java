package io.microbatch.engine.exec;

import io.microbatch.engine.clock.BatchClock;
import io.microbatch.state.StateBackend;
import java.time.Duration;

/**
 * How the engine runs: partitions and threads, batch interval, clock and state backend.
 *
 * @param parallelism threads running partition tasks, and partitions of every keyed stage
 * @param streaming true to cut unbounded input into batches on the interval
 * @param batchInterval time between batch starts in streaming mode
 */
public record EngineConfig(
    int parallelism,
    boolean streaming,
    Duration batchInterval,
    BatchClock clock,
    StateBackend stateBackend) {

  public EngineConfig {
    if (parallelism <= 0) {
      throw new IllegalArgumentException("parallelism must be positive, was " + parallelism);
    }
    if (batchInterval.isNegative() || batchInterval.isZero()) {
      throw new IllegalArgumentException("batchInterval must be positive, was " + batchInterval);
    }
  }
}
