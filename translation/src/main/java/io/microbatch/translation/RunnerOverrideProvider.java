package io.microbatch.translation;

import java.util.List;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.runners.PTransformOverride;

/**
 * Extra runner overrides contributed by a module on the classpath, found with {@link
 * java.util.ServiceLoader} ({@code META-INF/services/io.microbatch.translation.RunnerOverrideProvider}).
 * It lets an IO module (such as {@code microbatch-kafka}) replace its transforms with versions that
 * hold on this engine, without the translation module depending on that IO.
 */
public interface RunnerOverrideProvider {

  /**
   * The overrides to apply to a pipeline run with these options; empty for none. They are applied
   * before the runner's own, so a replacement may itself use transforms the runner overrides.
   *
   * @param parallelism the engine's parallelism
   */
  List<PTransformOverride> overrides(PipelineOptions options, int parallelism);
}
