package io.microbatch.benchmarks.harness;

import io.microbatch.benchmarks.nexmark.Workload;
import io.microbatch.benchmarks.nexmark.generator.ElementGenerator;
import io.microbatch.benchmarks.nexmark.generator.GeneratorConfig;
import io.microbatch.benchmarks.nexmark.generator.GeneratorSource;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.Read;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs one workload once: on a Beam runner (generated source, query, digest sink) or by hand. */
public final class WorkloadRun {
  private static final Logger LOG = LoggerFactory.getLogger(WorkloadRun.class);

  /** Builds the source for a generator; the default reads the bounded {@link GeneratorSource}. */
  public interface SourceFactory {
    <T> PTransform<PBegin, PCollection<T>> source(ElementGenerator<T> generator);
  }

  /** Hook to read runner-specific figures off a finished pipeline (e.g. batch statistics). */
  public interface ResultInspector extends Function<PipelineResult, String> {}

  public static final SourceFactory BOUNDED = new SourceFactory() {
    @Override
    public <T> PTransform<PBegin, PCollection<T>> source(ElementGenerator<T> generator) {
      return Read.from(GeneratorSource.of(generator));
    }
  };

  private WorkloadRun() {}

  /** Runs {@code workload} on a Beam pipeline with {@code args}; outputs kept only if asked. */
  public static <InT, OutT> RunMeasurement onBeam(
      Workload<InT, OutT> workload,
      GeneratorConfig config,
      List<String> args,
      SourceFactory sources,
      ResultInspector inspector,
      boolean keepLines) {
    String runId = workload.name() + "-" + UUID.randomUUID();
    OutputDigest digest = DigestSink.register(runId, keepLines);
    try {
      PipelineOptions options = PipelineOptionsFactory.fromArgs(args.toArray(new String[0])).create();
      Pipeline pipeline = Pipeline.create(options);
      ElementGenerator<InT> generator = workload.generator().apply(config);
      pipeline
          .apply("Generate", sources.source(generator))
          .apply("Query", workload.query().get())
          .apply("Digest", ParDo.of(new DigestSink<OutT>(runId)));
      long start = System.nanoTime();
      PipelineResult result = pipeline.run();
      PipelineResult.State state = result.waitUntilFinish();
      long nanos = System.nanoTime() - start;
      if (state != PipelineResult.State.DONE) {
        throw new IllegalStateException("Pipeline ended in state " + state);
      }
      String extra = inspector == null ? "" : inspector.apply(result);
      LOG.debug("{} on {}: {} outputs in {} ms", workload.name(), args, digest.count(), nanos / 1_000_000);
      return new RunMeasurement(nanos, digest.value(), digest.count(), extra);
    } finally {
      DigestSink.unregister(runId);
    }
  }

  /** Runs the hand-written version of {@code workload} on {@code threads} threads. */
  public static <InT, OutT> RunMeasurement byHand(
      Workload<InT, OutT> workload, GeneratorConfig config, int threads, OutputDigest digest)
      throws Exception {
    ElementGenerator<InT> generator = workload.generator().apply(config);
    long start = System.nanoTime();
    workload.handwritten().get().run(generator, threads, digest);
    long nanos = System.nanoTime() - start;
    return new RunMeasurement(nanos, digest.value(), digest.count(), "");
  }
}
