package io.microbatch.spark.bench;

import io.microbatch.spark.pipelines.DifferentialPipelines;
import io.microbatch.spark.pipelines.WriteLines;
import java.nio.file.Path;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.GenerateSequence;
import org.apache.beam.sdk.io.UnboundedSource;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * The benchmark's pipelines, ordinary Beam pipelines that run unchanged on either executor and
 * write their results through {@link WriteLines} (one file per bundle, named by the writing
 * process), so the recovery benchmark can tell which executor process ran keyed partitions.
 */
public final class BenchPipelines {
  private BenchPipelines() {}

  /**
   * Batch word count over {@code records} generated numbers: each number becomes one of 5,000
   * words, {@code Count.perElement} (a combiner lifted before the driver-routed shuffle), and the
   * counts are written. The bounded source's splits run on the executors, so both workers read.
   */
  public static void batchWordCount(Pipeline pipeline, long records, Path out) {
    pipeline
        .apply("Numbers", GenerateSequence.from(0).to(records))
        .apply("Word", MapElements.into(TypeDescriptors.strings())
            // A multiplicative hash spreads consecutive numbers over the words.
            .via((Long n) -> "w" + Math.floorMod(n * 0x9E3779B97F4A7C15L, 5000L)))
        .apply("CountWords", Count.perElement())
        .apply("Format", MapElements.into(TypeDescriptors.strings())
            .via((KV<String, Long> kv) -> kv.getKey() + "=" + kv.getValue()))
        .apply("Write", ParDo.of(new WriteLines(out)));
  }

  /**
   * Streaming keyed windowed counts (like the tests' {@code streamingWindowedCounts}): numbers
   * from {@code source}, keyed by {@code n % 7} into one-second windows, {@code Count.perKey} and,
   * on the same input, a stateful DoFn counting in state and emitting on an end-of-window timer;
   * both results are written. Every record crosses the driver-routed shuffle into both keyed
   * stages.
   */
  public static void streamingCounts(
      Pipeline pipeline, UnboundedSource<Long, ?> source, Path out) {
    DifferentialPipelines.streamingResults(pipeline, source)
        .apply("Write", ParDo.of(new WriteLines(out)));
  }
}
