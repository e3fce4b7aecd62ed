package io.microbatch.benchmarks.harness;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;

/**
 * An order-independent digest of a multiset of outputs: the count and two sums of 64-bit mixes of
 * each output's {@code hashCode()} (outputs are records of strings and longs, whose hash codes are
 * the same in every JVM of the same Java version). Thread-safe. Optionally keeps every output's
 * {@code toString()} so a failing check can show what differs.
 */
public final class OutputDigest {
  private final LongAdder count = new LongAdder();
  private final LongAdder sum1 = new LongAdder();
  private final LongAdder sum2 = new LongAdder();
  private final Queue<String> lines;

  public OutputDigest(boolean keepLines) {
    this.lines = keepLines ? new ConcurrentLinkedQueue<>() : null;
  }

  public void add(Object output) {
    long h = output.hashCode();
    count.increment();
    sum1.add(mix(h + 0x9E3779B97F4A7C15L));
    sum2.add(mix(h ^ 0x5DEECE66DL));
    if (lines != null) {
      lines.add(output.toString());
    }
  }

  /** Adds everything {@code other} holds. */
  public void addAll(OutputDigest other) {
    count.add(other.count.sum());
    sum1.add(other.sum1.sum());
    sum2.add(other.sum2.sum());
    if (lines != null && other.lines != null) {
      lines.addAll(other.lines);
    }
  }

  public long count() {
    return count.sum();
  }

  /** The digest as text: {@code count-sum1-sum2} in hex. Equal outputs give equal text. */
  public String value() {
    return String.format("%d-%016x-%016x", count.sum(), sum1.sum(), sum2.sum());
  }

  /** The outputs' {@code toString()}, sorted; empty if lines were not kept. */
  public List<String> sortedLines() {
    if (lines == null) {
      return List.of();
    }
    List<String> sorted = new ArrayList<>(lines);
    Collections.sort(sorted);
    return sorted;
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
