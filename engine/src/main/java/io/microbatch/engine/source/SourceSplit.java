package io.microbatch.engine.source;

import io.microbatch.engine.operator.Emitter;

/** A slice of a source that one partition task reads within one batch. */
@FunctionalInterface
public interface SourceSplit {
  void read(Emitter output) throws Exception;
}
