package io.microbatch.engine.exec;

import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Makes a {@link TaskExecutor} selected by name ({@code --executor=<name>}). Implementations are
 * found with {@link java.util.ServiceLoader}, so an executor that needs a large dependency (Spark)
 * lives in its own artifact and is only there when the application puts it on its classpath.
 */
public interface TaskExecutorProvider {

  /** The name {@code --executor} selects this provider by. */
  String name();

  /**
   * An executor for one pipeline run with {@code parallelism} partitions per keyed stage; bad
   * options fail here with an {@link IllegalArgumentException} naming the option.
   */
  TaskExecutor create(PipelineOptions options, int parallelism);
}
