package io.microbatch.spark;

import java.io.Serializable;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.function.Function;

/** The Spark function every partition task goes through on the executor. */
final class RunOnExecutor
    implements Function<PartitionTaskDescription, PartitionResult<Serializable>> {
  private static final long serialVersionUID = 1L;

  @Override
  public PartitionResult<Serializable> call(PartitionTaskDescription description)
      throws Exception {
    SparkEnv env = SparkEnv.get();
    ExecutorLocation here = new ExecutorLocation(
        env.blockManager().blockManagerId().host(), env.executorId());
    PartitionContext context = new PartitionContext(
        description, ExecutorStateRegistry.forExecutor(here.executorId()), here);
    long start = System.nanoTime();
    Serializable value;
    try {
      value = description.task().run(context);
    } finally {
      context.close();
    }
    long nanos = System.nanoTime() - start;
    return new PartitionResult<>(
        description.partition(), here, context.stateOpened(), nanos, value);
  }
}
