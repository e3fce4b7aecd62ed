package io.microbatch.benchmarks.nexmark.handwritten;

import io.microbatch.benchmarks.harness.OutputDigest;
import io.microbatch.benchmarks.nexmark.generator.ElementGenerator;
import io.microbatch.benchmarks.nexmark.model.WordFrequency;
import java.util.HashMap;
import java.util.Map;

/** WordCount by hand: one hash map of word to count. */
public final class HandwrittenWordCount implements HandwrittenQuery<String, WordFrequency> {
  @Override
  public void run(ElementGenerator<String> generator, int threads, OutputDigest out) {
    Map<String, long[]> counts = new HashMap<>();
    long count = generator.config().count();
    for (long n = 0; n < count; n++) {
      String line = generator.element(n);
      int start = 0;
      for (int i = 0; i <= line.length(); i++) {
        if (i == line.length() || line.charAt(i) == ' ') {
          if (i > start) {
            counts.computeIfAbsent(line.substring(start, i), w -> new long[1])[0]++;
          }
          start = i + 1;
        }
      }
    }
    counts.forEach((word, c) -> out.add(new WordFrequency(word, c[0])));
  }
}
