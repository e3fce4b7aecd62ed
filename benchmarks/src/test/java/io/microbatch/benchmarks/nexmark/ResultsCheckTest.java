package io.microbatch.benchmarks.nexmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microbatch.benchmarks.harness.OutputDigest;
import io.microbatch.benchmarks.harness.RunMeasurement;
import io.microbatch.benchmarks.harness.RunnerKind;
import io.microbatch.benchmarks.harness.StreamingSources;
import io.microbatch.benchmarks.harness.WorkloadRun;
import io.microbatch.benchmarks.nexmark.generator.GeneratorConfig;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The results check: every workload gives the same outputs on MicroBatch (batch mode, and streaming
 * mode over the unbounded source in several batches where the query is valid on unbounded input), the
 * Direct runner and by hand, over the same generated input: 4,000 events (1,000 lines for WordCount,
 * whose cost grows with its distinct words), 1,000 per second of event time.
 */
class ResultsCheckTest {
  private static final GeneratorConfig EVENTS = new GeneratorConfig(7, 4_000, 1_000);
  private static final GeneratorConfig LINES = new GeneratorConfig(7, 1_000, 1_000);

  static Stream<String> workloads() {
    return Workloads.all().stream().map(Workload::name);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("workloads")
  void microBatchAndDirectProduceWhatTheHandWrittenQueryProduces(String name) throws Exception {
    Workload<?, ?> workload = Workloads.named(name);
    GeneratorConfig config = name.equals("wordcount") ? LINES : EVENTS;
    OutputDigest expected = new OutputDigest(true);
    WorkloadRun.byHand(workload, config, 2, expected);
    assertTrue(expected.count() > 0, name + " produced no output by hand");

    for (RunnerKind runner : List.of(RunnerKind.MICROBATCH, RunnerKind.DIRECT)) {
      RunMeasurement actual = WorkloadRun.onBeam(
          workload, config, runner.pipelineArgs(2, List.of()), WorkloadRun.BOUNDED, null, false);
      assertEquals(expected.value(), actual.digest(), name + " on " + runner.label());
    }
  }

  static Stream<String> streamingWorkloads() {
    // WordCount and q12 aggregate in the global window with the default trigger: batch only.
    return workloads().filter(n -> !n.equals("wordcount") && !n.equals("q12"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("streamingWorkloads")
  void microBatchInStreamingModeProducesWhatTheHandWrittenQueryProduces(String name)
      throws Exception {
    Workload<?, ?> workload = Workloads.named(name);
    OutputDigest expected = new OutputDigest(false);
    WorkloadRun.byHand(workload, EVENTS, 2, expected);
    RunMeasurement actual = WorkloadRun.onBeam(
        workload, EVENTS,
        RunnerKind.MICROBATCH.pipelineArgs(2, List.of("--streaming=true", "--batchIntervalMillis=20",
            "--maxRecordsPerBatch=1000")),
        StreamingSources.UNBOUNDED, null, false);
    assertEquals(expected.value(), actual.digest(), name + " on microbatch, streaming");
  }
}
