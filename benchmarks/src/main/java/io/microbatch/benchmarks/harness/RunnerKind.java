package io.microbatch.benchmarks.harness;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The ways a workload can be run, with the Beam options each runner gets. */
public enum RunnerKind {
  /** MicroBatch, parallelism = threads; more options (e.g. --streaming=true) come from the user. */
  MICROBATCH,
  /** Beam's Direct runner, its model checks off so it runs as fast as it can. */
  DIRECT,
  /** Beam's Flink runner on an in-JVM local cluster. */
  FLINK,
  /** The hand-written plain-Java version: no Beam at all. */
  JAVA;

  public static RunnerKind parse(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Beam pipeline arguments for this runner with {@code threads} worker threads. */
  public List<String> pipelineArgs(int threads, List<String> extra) {
    List<String> args = new ArrayList<>();
    switch (this) {
      case MICROBATCH:
        args.add("--runner=MicroBatchRunner");
        args.add("--parallelism=" + threads);
        break;
      case DIRECT:
        args.add("--runner=DirectRunner");
        args.add("--targetParallelism=" + threads);
        args.add("--enforceImmutability=false");
        args.add("--enforceEncodability=false");
        break;
      case FLINK:
        args.add("--runner=FlinkRunner");
        args.add("--flinkMaster=[local]");
        args.add("--parallelism=" + threads);
        break;
      default:
        throw new IllegalStateException("No pipeline for " + this);
    }
    args.addAll(extra);
    return args;
  }
}
