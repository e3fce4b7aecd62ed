package io.microbatch.benchmarks.latency;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Nearest-rank percentiles, as the latency figures in docs/benchmarks.md are computed. */
class PercentilesTest {
  @Test
  void hundredValuesGiveTheValueAtEachRank() {
    long[] values = new long[100];
    for (int i = 0; i < 100; i++) {
      values[i] = 100 - i; // 100 .. 1, unsorted on purpose
    }
    Percentiles p = Percentiles.of(values, values.length);
    assertEquals(50, p.percentile(50));
    assertEquals(90, p.percentile(90));
    assertEquals(99, p.percentile(99));
    assertEquals(100, p.percentile(100));
    assertEquals(1, p.percentile(0.5));
    assertEquals(100, p.max());
    assertEquals(50.5, p.mean(), 1e-9);
  }

  @Test
  void aPercentileBetweenRanksRoundsUpToTheNextSample() {
    Percentiles p = Percentiles.of(new long[] {10, 20, 30, 40}, 4);
    assertEquals(20, p.percentile(50)); // rank 2 of 4
    assertEquals(30, p.percentile(51)); // rank ceil(2.04) = 3
    assertEquals(40, p.percentile(99)); // rank ceil(3.96) = 4
  }

  @Test
  void onlyTheFirstSizeValuesCountAndTheInputIsNotSorted() {
    long[] values = {5, 3, 1, 1_000, 2_000};
    Percentiles p = Percentiles.of(values, 3);
    assertEquals(3, p.count());
    assertEquals(5, p.max());
    assertEquals(3, p.percentile(50));
    assertArrayEquals(new long[] {5, 3, 1, 1_000, 2_000}, values);
  }

  @Test
  void oneSampleIsEveryPercentileAndNoSampleIsNaN() {
    Percentiles one = Percentiles.of(new long[] {7}, 1);
    assertEquals(7, one.percentile(1));
    assertEquals(7, one.percentile(99));
    Percentiles none = Percentiles.of(new long[0], 0);
    assertTrue(Double.isNaN(none.percentile(50)));
    assertTrue(Double.isNaN(none.max()));
    assertTrue(Double.isNaN(none.mean()));
  }

  @Test
  void percentilesOutsideZeroToHundredAreRefused() {
    Percentiles p = Percentiles.of(new long[] {1, 2}, 2);
    assertThrows(IllegalArgumentException.class, () -> p.percentile(0));
    assertThrows(IllegalArgumentException.class, () -> p.percentile(100.5));
  }
}
