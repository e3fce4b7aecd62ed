package io.microbatch.benchmarks.nexmark.handwritten;

import io.microbatch.benchmarks.harness.OutputDigest;
import io.microbatch.benchmarks.nexmark.generator.ElementGenerator;

/** A query written by hand in plain Java over the generated elements, in index order. */
public interface HandwrittenQuery<InT, OutT> {
  /** Computes the query over every element of {@code generator}, adding each output to {@code out}. */
  void run(ElementGenerator<InT> generator, int threads, OutputDigest out) throws Exception;
}
