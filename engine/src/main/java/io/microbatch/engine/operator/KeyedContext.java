package io.microbatch.engine.operator;

import io.microbatch.state.ByteKey;
import io.microbatch.state.TimeSource;
import org.apache.beam.runners.core.StateInternals;
import org.apache.beam.runners.core.StateNamespace;
import org.apache.beam.runners.core.TimerInternals;

/** An {@link OperatorContext} for keyed steps: state and timers of the partition's keys. */
public interface KeyedContext extends OperatorContext {

  StateInternals state(ByteKey key, Object userKey);

  TimerInternals timers(ByteKey key);

  /** Deletes every timer of a key in a namespace (the window expired). */
  void deleteTimers(ByteKey key, StateNamespace namespace);

  /** The watermarks and clock this partition runs against. */
  TimeSource time();
}
