package io.microbatch.benchmarks.nexmark.generator;

import java.io.Serializable;
import org.apache.beam.sdk.coders.Coder;

/**
 * Makes element {@code index} of a deterministic sequence. Implementations keep per-reader scratch
 * state, so each reader uses its own copy ({@link #copy}).
 */
public interface ElementGenerator<T> extends Serializable {
  GeneratorConfig config();

  T element(long index);

  Coder<T> coder();

  /** A fresh instance for one reader or thread. */
  ElementGenerator<T> copy();
}
