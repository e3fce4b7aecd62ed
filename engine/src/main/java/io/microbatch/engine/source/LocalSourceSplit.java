package io.microbatch.engine.source;

import io.microbatch.engine.operator.Emitter;

/**
 * A split that reads through long-lived reader state of the process that planned it (an
 * unbounded source's open reader, which keeps its position and checkpoint mark between batches),
 * so it cannot travel: a remote executor runs its task in the driver process instead.
 */
@FunctionalInterface
public interface LocalSourceSplit extends SourceSplit {
  @Override
  void read(Emitter output) throws Exception;
}
