package io.microbatch.engine.exec;

import io.microbatch.engine.clock.BatchClock;
import io.microbatch.state.StateBackend;
import java.time.Duration;
import org.slf4j.event.Level;

/**
 * How the engine runs: partitions and threads, batch interval, clock, state backend, backpressure
 * and how loudly each batch is logged.
 *
 * @param parallelism threads running partition tasks, and partitions of every keyed stage
 * @param streaming true to cut unbounded input into batches on the interval
 * @param batchInterval time between batch starts in streaming mode
 * @param backpressure in streaming mode, adapt each source's per-batch intake to what the pipeline
 *     processes within the interval
 * @param batchLogLevel the level of the one log line per committed batch
 */
public record EngineConfig(
    int parallelism,
    boolean streaming,
    Duration batchInterval,
    BatchClock clock,
    StateBackend stateBackend,
    boolean backpressure,
    Level batchLogLevel) {

  /** Backpressure on, batches logged at DEBUG. */
  public EngineConfig(
      int parallelism,
      boolean streaming,
      Duration batchInterval,
      BatchClock clock,
      StateBackend stateBackend) {
    this(parallelism, streaming, batchInterval, clock, stateBackend, true, Level.DEBUG);
  }

  public EngineConfig {
    if (parallelism <= 0) {
      throw new IllegalArgumentException("parallelism must be positive, was " + parallelism);
    }
    if (batchInterval.isNegative() || batchInterval.isZero()) {
      throw new IllegalArgumentException("batchInterval must be positive, was " + batchInterval);
    }
  }
}
