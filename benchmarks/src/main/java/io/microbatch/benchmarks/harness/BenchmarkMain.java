package io.microbatch.benchmarks.harness;

import io.microbatch.benchmarks.nexmark.Workload;
import io.microbatch.benchmarks.nexmark.Workloads;
import io.microbatch.benchmarks.nexmark.generator.GeneratorConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Runs one workload (or several, comma-separated, one after the other) on one runner in this JVM: {@code --warmups} unmeasured runs, then {@code --runs}
 * measured ones, all over the same generated events. Prints one JSON line (and appends it to
 * {@code --out} if given) with the wall time of each measured run, the median throughput and the
 * output digest. Arguments it does not know are passed to the Beam pipeline.
 *
 * <pre>
 * --workload=q7 --runner=microbatch|direct|flink|java --events=2000000 --seed=42
 * --eventsPerSecond=1000 --runs=3 --warmups=1 --threads=2 --mode=batch --out=results.jsonl
 * </pre>
 */
public final class BenchmarkMain {
  private BenchmarkMain() {}

  public static void main(String[] argv) throws Exception {
    Arguments args = new Arguments(argv);
    for (String name : args.get("workload", "q0").split(",")) {
      runWorkload(Workloads.named(name), args);
    }
    System.exit(0); // Runners may leave non-daemon threads behind.
  }

  private static void runWorkload(Workload<?, ?> workload, Arguments args) throws Exception {
    RunnerKind runner = RunnerKind.parse(args.get("runner", "java"));
    GeneratorConfig config = new GeneratorConfig(
        Long.parseLong(args.get("seed", "42")),
        Long.parseLong(args.get("events", "1000000")),
        Long.parseLong(args.get("eventsPerSecond", "1000")));
    int runs = Integer.parseInt(args.get("runs", "3"));
    int warmups = Integer.parseInt(args.get("warmups", "1"));
    int threads = Integer.parseInt(args.get("threads", "2"));
    String mode = args.get("mode", "batch");
    WorkloadRun.SourceFactory sources =
        mode.equals("streaming") ? StreamingSources.UNBOUNDED : WorkloadRun.BOUNDED;

    List<RunMeasurement> measured = new ArrayList<>();
    for (int i = 0; i < warmups + runs; i++) {
      RunMeasurement m = runOnce(workload, runner, config, threads, args.rest(), sources);
      System.err.printf(Locale.ROOT, "%s %s %s run %d%s: %.3f s, %d outputs, digest %s%n",
          workload.name(), runner.label(), mode, i, i < warmups ? " (warm-up)" : "",
          m.nanos() / 1e9, m.outputs(), m.digest());
      if (i >= warmups) {
        measured.add(m);
      }
    }
    String json = ResultJson.line(workload, runner, mode, config, threads, args.rest(), measured);
    System.out.println(json);
    String out = args.get("out", null);
    if (out != null) {
      Path path = Path.of(out);
      if (path.getParent() != null) {
        Files.createDirectories(path.getParent());
      }
      Files.writeString(path, json + "\n", StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static RunMeasurement runOnce(
      Workload workload, RunnerKind runner, GeneratorConfig config, int threads,
      List<String> extra, WorkloadRun.SourceFactory sources) throws Exception {
    if (runner == RunnerKind.JAVA) {
      return WorkloadRun.byHand(workload, config, threads, new OutputDigest(false));
    }
    return WorkloadRun.onBeam(
        workload, config, runner.pipelineArgs(threads, extra), sources, null, false);
  }

  /** {@code --name=value} arguments; the ones not asked for are passed on to Beam. */
  static final class Arguments {
    private static final List<String> OWN = Arrays.asList(
        "workload", "runner", "seed", "events", "eventsPerSecond", "runs", "warmups", "threads",
        "mode", "out");
    private final List<String> argv;

    Arguments(String[] argv) {
      this.argv = Arrays.asList(argv);
    }

    String get(String name, String fallback) {
      String prefix = "--" + name + "=";
      return argv.stream()
          .filter(a -> a.startsWith(prefix))
          .map(a -> a.substring(prefix.length()))
          .reduce((a, b) -> b)
          .orElse(fallback);
    }

    List<String> rest() {
      List<String> rest = new ArrayList<>();
      for (String a : argv) {
        String name = a.startsWith("--") && a.contains("=") ? a.substring(2, a.indexOf('=')) : a;
        if (!OWN.contains(name)) {
          rest.add(a);
        }
      }
      return rest;
    }
  }
}
