package io.microbatch.spark;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class PartitionBalancerTest {
  private static final ExecutorLocation A = new ExecutorLocation("127.0.0.1", "0");
  private static final ExecutorLocation B = new ExecutorLocation("127.0.0.1", "1");
  private static final ExecutorLocation C = new ExecutorLocation("127.0.0.1", "2");

  @Test
  void aNewPartitionGoesToTheLiveExecutorHoldingFewest() {
    Map<String, ExecutorLocation> holders = Map.of("p0", A, "p1", A, "p2", B);
    assertThat(PartitionBalancer.leastLoaded(holders, List.of(A, B)), equalTo(B));
    assertThat("an executor holding none wins",
        PartitionBalancer.leastLoaded(holders, List.of(A, B, C)), equalTo(C));
    assertThat("ties go to the lowest executor id",
        PartitionBalancer.leastLoaded(Map.of(), List.of(B, A)), equalTo(A));
    assertThat(PartitionBalancer.leastLoaded(holders, List.of()), nullValue());
  }

  @Test
  void aReplacementExecutorReceivesHalfOfTheSurvivorsPartitions() {
    // After a loss every partition was restored on the survivor A; C replaced the lost B.
    Map<String, ExecutorLocation> holders = new LinkedHashMap<>();
    for (int p = 0; p < 8; p++) {
      holders.put("p" + p, A);
    }
    List<PartitionBalancer.Move<String>> moves = PartitionBalancer.plan(holders, List.of(A, C));
    assertThat(moves, hasSize(4));
    Map<ExecutorLocation, Integer> after = new TreeMap<>(
        java.util.Comparator.comparing(ExecutorLocation::executorId));
    Map<String, ExecutorLocation> placed = new LinkedHashMap<>(holders);
    for (PartitionBalancer.Move<String> move : moves) {
      assertThat(move.from(), equalTo(A));
      assertThat(move.to(), equalTo(C));
      placed.put(move.partition(), move.to());
    }
    placed.values().forEach(e -> after.merge(e, 1, Integer::sum));
    assertThat(after, equalTo(Map.of(A, 4, C, 4)));
  }

  @Test
  void balancedOrLostHoldersMoveNothing() {
    Map<String, ExecutorLocation> holders = Map.of("p0", A, "p1", A, "p2", B);
    assertThat("within one of each other", PartitionBalancer.plan(holders, List.of(A, B)),
        empty());
    assertThat("partitions of an executor that is gone stay for recovery",
        PartitionBalancer.plan(Map.of("p0", B, "p1", B, "p2", B), List.of(A)), empty());
  }
}
