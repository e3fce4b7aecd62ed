package io.microbatch.benchmarks.nexmark;

import io.microbatch.benchmarks.nexmark.generator.ElementGenerator;
import io.microbatch.benchmarks.nexmark.generator.GeneratorConfig;
import io.microbatch.benchmarks.nexmark.handwritten.HandwrittenQuery;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;

/**
 * One benchmark workload: its input generator, the query written once in Beam, and the same
 * computation written by hand in plain Java (the limit, and the reference for the results check).
 *
 * @param name short name used on the command line and in the results ({@code q7}, {@code wordcount})
 * @param description what the query computes
 * @param stateless whether the query is element-wise (the "within 3x of hand-written" target)
 * @param generator the input for a configuration
 * @param query the Beam transform from the generated input to the query's output
 * @param handwritten the plain-Java version
 */
public record Workload<InT, OutT>(
    String name,
    String description,
    boolean stateless,
    Function<GeneratorConfig, ElementGenerator<InT>> generator,
    Supplier<PTransform<PCollection<InT>, PCollection<OutT>>> query,
    Supplier<HandwrittenQuery<InT, OutT>> handwritten) {}
