package io.microbatch.engine.operator;

import org.apache.beam.sdk.values.WindowedValue;

/** Receives the elements of one dataset inside a running partition task. */
@FunctionalInterface
public interface Emitter {
  void emit(WindowedValue<?> element) throws Exception;
}
