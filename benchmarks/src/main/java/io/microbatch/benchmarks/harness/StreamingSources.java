package io.microbatch.benchmarks.harness;

import io.microbatch.benchmarks.nexmark.generator.ElementGenerator;
import io.microbatch.benchmarks.nexmark.generator.GeneratorUnboundedSource;
import org.apache.beam.sdk.io.Read;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/** Sources for streaming mode. */
public final class StreamingSources {
  /** The generated elements through {@link GeneratorUnboundedSource}. */
  public static final WorkloadRun.SourceFactory UNBOUNDED = new WorkloadRun.SourceFactory() {
    @Override
    public <T> PTransform<PBegin, PCollection<T>> source(ElementGenerator<T> generator) {
      return Read.from(GeneratorUnboundedSource.of(generator));
    }
  };

  private StreamingSources() {}
}
