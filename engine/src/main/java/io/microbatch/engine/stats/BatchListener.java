package io.microbatch.engine.stats;

/** Told about every committed batch, on the engine's driver thread: keep it quick. */
@FunctionalInterface
public interface BatchListener {
  void onBatchCommitted(BatchStatistics batch);
}
