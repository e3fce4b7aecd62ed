package io.microbatch.engine.source;

import io.microbatch.engine.operator.Emitter;

/**
 * A slice of a source that one partition task reads within one batch. Serializable so that a
 * remote executor can read it: a split should describe its slice (a Beam source bundle), not hold
 * the records.
 */
@FunctionalInterface
public interface SourceSplit extends java.io.Serializable {
  void read(Emitter output) throws Exception;
}
