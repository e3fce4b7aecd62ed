package io.microbatch.benchmarks.nexmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microbatch.benchmarks.harness.OutputDigest;
import io.microbatch.benchmarks.harness.RunMeasurement;
import io.microbatch.benchmarks.harness.RunnerKind;
import io.microbatch.benchmarks.harness.WorkloadRun;
import io.microbatch.benchmarks.nexmark.generator.GeneratorConfig;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The results check: every workload gives the same outputs on MicroBatch (batch mode), the Direct
 * runner and by hand, over the same 20,000 generated events.
 */
class ResultsCheckTest {
  private static final GeneratorConfig CONFIG = new GeneratorConfig(7, 20_000, 1_000);

  static Stream<String> workloads() {
    return Workloads.all().stream().map(Workload::name);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("workloads")
  void microBatchAndDirectProduceWhatTheHandWrittenQueryProduces(String name) throws Exception {
    Workload<?, ?> workload = Workloads.named(name);
    OutputDigest expected = new OutputDigest(true);
    WorkloadRun.byHand(workload, CONFIG, 2, expected);
    assertTrue(expected.count() > 0, name + " produced no output by hand");

    for (RunnerKind runner : List.of(RunnerKind.MICROBATCH, RunnerKind.DIRECT)) {
      RunMeasurement actual = WorkloadRun.onBeam(
          workload, CONFIG, runner.pipelineArgs(2, List.of()), WorkloadRun.BOUNDED, null, false);
      assertEquals(expected.value(), actual.digest(), name + " on " + runner.label());
    }
  }
}
