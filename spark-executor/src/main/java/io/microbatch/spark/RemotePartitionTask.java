package io.microbatch.spark;

import java.io.Serializable;

/**
 * The work of one partition in one batch, shipped to a Spark executor and run there. It is Java
 * serialized once per task, so it should carry a description of the work (ids, encoded input),
 * not the work's data structures.
 *
 * @param <R> what goes back to the driver; must be serializable
 */
@FunctionalInterface
public interface RemotePartitionTask<R extends Serializable> extends Serializable {

  /** Runs on the executor; {@code context} gives the partition's pinned state. */
  R run(PartitionContext context) throws Exception;
}
