package io.microbatch.benchmarks.harness;

import io.microbatch.benchmarks.nexmark.Workload;
import io.microbatch.benchmarks.nexmark.generator.GeneratorConfig;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** One benchmark result as a single line of JSON. */
final class ResultJson {
  private ResultJson() {}

  static String line(
      Workload<?, ?> workload, RunnerKind runner, String mode, GeneratorConfig config, int threads,
      List<String> pipelineArgs, List<RunMeasurement> runs) {
    double[] seconds = runs.stream().mapToDouble(r -> r.nanos() / 1e9).toArray();
    double[] sorted = seconds.clone();
    Arrays.sort(sorted);
    double median = sorted.length == 0 ? Double.NaN : sorted[sorted.length / 2];
    String digests = runs.stream().map(r -> quote(r.digest())).distinct().collect(Collectors.joining(","));
    return String.format(Locale.ROOT,
        "{\"workload\":%s,\"stateless\":%b,\"runner\":%s,\"mode\":%s,\"events\":%d,\"seed\":%d,\"threads\":%d,"
            + "\"maxHeap\":%d,\"pipelineArgs\":[%s],\"seconds\":[%s],\"medianSeconds\":%.4f,"
            + "\"eventsPerSecond\":%.0f,\"outputs\":%d,\"digests\":[%s]}",
        quote(workload.name()), workload.stateless(), quote(runner.label()), quote(mode), config.count(), config.seed(),
        threads, Runtime.getRuntime().maxMemory(),
        pipelineArgs.stream().map(ResultJson::quote).collect(Collectors.joining(",")),
        Arrays.stream(seconds).mapToObj(s -> String.format(Locale.ROOT, "%.4f", s))
            .collect(Collectors.joining(",")),
        median, config.count() / median, runs.isEmpty() ? 0 : runs.get(0).outputs(), digests);
  }

  static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
