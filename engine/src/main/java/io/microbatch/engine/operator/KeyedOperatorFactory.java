package io.microbatch.engine.operator;

import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Creates the operator instances of one keyed step; closed once at the end of the run.
 * Serializable for the same reason as {@link ElementOperatorFactory}.
 */
public interface KeyedOperatorFactory extends AutoCloseable, java.io.Serializable {

  KeyedOperator create(KeyedContext context) throws Exception;

  /**
   * The coder of the windows this step's timers are namespaced by (its input's windowing
   * strategy), or {@code null} if its timers use no window namespaces. The engine registers it
   * with every partition's timer store when the partition opens, before any timer is read: timers
   * restored from a checkpoint can fire before the step sets one, and the store needs the coder
   * to decode their namespaces.
   */
  default @Nullable Coder<? extends BoundedWindow> timerWindowCoder() {
    return null;
  }

  @Override
  default void close() throws Exception {}
}
