package io.microbatch.spark;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Driver side, one per run: learns from Spark's scheduler events which executors started tasks
 * of the run (also tasks whose results never reached the driver) and which executors were
 * removed, so that a failed Spark job is told apart from a lost executor as soon as Spark knows.
 * The run's jobs carry {@link #RUN_PROPERTY} as a local property. On a removal it calls back, so
 * the run can cancel a job that would otherwise wait for the lost executor.
 */
final class RunExecutorsListener extends SparkListener {
  /** The local property naming the run a Spark job belongs to. */
  static final String RUN_PROPERTY = "microbatch.run";

  private final String runId;
  /** Called with the executor id when Spark removes an executor. */
  private final java.util.function.Consumer<String> onRemoved;
  private final Set<Integer> runStages = ConcurrentHashMap.newKeySet();
  /** Guarded by this. */
  private final Set<ExecutorLocation> ranTasks = new LinkedHashSet<>();
  /** Executor id to Spark's reason, guarded by this. */
  private final Map<String, String> removed = new LinkedHashMap<>();

  RunExecutorsListener(String runId, java.util.function.Consumer<String> onRemoved) {
    this.runId = runId;
    this.onRemoved = onRemoved;
  }

  @Override
  public void onJobStart(SparkListenerJobStart jobStart) {
    Properties properties = jobStart.properties();
    if (properties != null && runId.equals(properties.getProperty(RUN_PROPERTY))) {
      for (Object stage : CollectionConverters.asJava(jobStart.stageIds())) {
        runStages.add((Integer) stage);
      }
    }
  }

  @Override
  public void onTaskStart(SparkListenerTaskStart taskStart) {
    if (runStages.contains(taskStart.stageId())) {
      synchronized (this) {
        ranTasks.add(new ExecutorLocation(
            taskStart.taskInfo().host(), taskStart.taskInfo().executorId()));
      }
    }
  }

  @Override
  public void onExecutorRemoved(SparkListenerExecutorRemoved executorRemoved) {
    synchronized (this) {
      removed.put(executorRemoved.executorId(), executorRemoved.reason());
      notifyAll();
    }
    onRemoved.accept(executorRemoved.executorId());
  }

  /** True if Spark removed the executor. */
  synchronized boolean wasRemoved(String executorId) {
    return removed.containsKey(executorId);
  }

  /** Executors that started at least one task of the run so far. */
  synchronized Set<ExecutorLocation> ranTasks() {
    return new LinkedHashSet<>(ranTasks);
  }

  /**
   * The executors among {@code watched} and those that started tasks of the run that Spark
   * removed, waiting up to {@code timeoutMillis} for one (Spark posts the removal on its
   * listener bus, which may trail the job failure a little). Empty if none was removed.
   */
  synchronized Set<ExecutorLocation> awaitRemoved(Set<ExecutorLocation> watched,
      long timeoutMillis) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (true) {
      Set<ExecutorLocation> lost = new LinkedHashSet<>();
      for (ExecutorLocation executor : union(watched)) {
        if (removed.containsKey(executor.executorId())) {
          lost.add(executor);
        }
      }
      long left = deadline - System.currentTimeMillis();
      if (!lost.isEmpty() || left <= 0) {
        return lost;
      }
      wait(left);
    }
  }

  /** Spark's reason for removing the executor, or null if it was not removed. */
  synchronized String removalReason(String executorId) {
    return removed.get(executorId);
  }

  private Set<ExecutorLocation> union(Set<ExecutorLocation> watched) {
    Set<ExecutorLocation> all = new LinkedHashSet<>(watched);
    all.addAll(ranTasks);
    return all;
  }
}
