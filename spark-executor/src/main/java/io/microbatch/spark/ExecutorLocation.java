package io.microbatch.spark;

import java.io.Serializable;

/** One Spark executor: the host its block manager runs on and its executor id. */
public record ExecutorLocation(String host, String executorId) implements Serializable {

  /**
   * The preferred-location string Spark's scheduler reads as "this very executor" (rather than
   * any executor on the host): {@code executor_<host>_<id>}.
   */
  public String taskLocation() {
    return "executor_" + host + "_" + executorId;
  }

  @Override
  public String toString() {
    return executorId + "@" + host;
  }
}
