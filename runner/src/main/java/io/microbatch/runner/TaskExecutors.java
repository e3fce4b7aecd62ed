package io.microbatch.runner;

import io.microbatch.engine.exec.TaskExecutor;
import io.microbatch.engine.exec.TaskExecutorProvider;
import io.microbatch.engine.exec.ThreadPoolTaskExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Picks the task executor {@code --executor} names: {@code local} is built in, any other is a
 * {@link TaskExecutorProvider} found on the classpath, so the runner artifact does not bring
 * Spark to users who run locally.
 */
final class TaskExecutors {
  static final String LOCAL = "local";

  private TaskExecutors() {}

  /** Fails, naming the option, unless the executor is local or a provider of it is present. */
  static void checkKnown(String name) {
    if (!LOCAL.equals(name)) {
      provider(name);
    }
  }

  static TaskExecutor create(String name, PipelineOptions options, int parallelism) {
    if (LOCAL.equals(name)) {
      return new ThreadPoolTaskExecutor(parallelism);
    }
    return provider(name).create(options, parallelism);
  }

  private static TaskExecutorProvider provider(String name) {
    List<String> known = new ArrayList<>(List.of(LOCAL));
    for (TaskExecutorProvider provider : ServiceLoader.load(TaskExecutorProvider.class)) {
      if (provider.name().equals(name)) {
        return provider;
      }
      known.add(provider.name());
    }
    String hint = "spark".equals(name)
        ? " (put io.microbatch:microbatch-spark-executor on the classpath)"
        : "";
    throw new IllegalArgumentException(
        "--executor=" + name + " is not available" + hint + "; available: " + known);
  }
}
