package io.microbatch.engine.operator;

import org.apache.beam.sdk.values.WindowedValue;

/** One instance of an element-wise step, used by one partition task for one bundle. */
public interface ElementOperator {

  void startBundle() throws Exception;

  void process(WindowedValue<?> element) throws Exception;

  void finishBundle() throws Exception;

  /**
   * Called instead of a normal end when the bundle failed; the instance must not be reused. The
   * default does nothing.
   */
  default void abort() {}
}
