package io.microbatch.spark;

import java.util.List;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsRegistrar;

/** Lets {@code --sparkMaster} and the other {@link SparkExecutorOptions} parse by name. */
public final class SparkExecutorRegistrar implements PipelineOptionsRegistrar {
  @Override
  public Iterable<Class<? extends PipelineOptions>> getPipelineOptions() {
    return List.of(SparkExecutorOptions.class);
  }
}
