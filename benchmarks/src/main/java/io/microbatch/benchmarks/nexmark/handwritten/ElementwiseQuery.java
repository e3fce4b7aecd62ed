package io.microbatch.benchmarks.nexmark.handwritten;

import io.microbatch.benchmarks.harness.OutputDigest;
import io.microbatch.benchmarks.nexmark.generator.ElementGenerator;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * A hand-written element-wise query: the index range is cut into one contiguous range per thread,
 * each generating and processing its elements with no coders and no framework in between.
 */
public abstract class ElementwiseQuery<InT, OutT> implements HandwrittenQuery<InT, OutT> {

  /** Hands the outputs of one input element to {@code out}. */
  protected abstract void process(InT input, Consumer<OutT> out);

  @Override
  public final void run(ElementGenerator<InT> generator, int threads, OutputDigest out)
      throws Exception {
    long count = generator.config().count();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> parts = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        long from = count * t / threads;
        long to = count * (t + 1) / threads;
        ElementGenerator<InT> own = generator.copy();
        parts.add(pool.submit(() -> {
          Consumer<OutT> sink = out::add;
          for (long i = from; i < to; i++) {
            process(own.element(i), sink);
          }
        }));
      }
      for (Future<?> part : parts) {
        part.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
