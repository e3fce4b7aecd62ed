package io.microbatch.engine.operator;

/**
 * Creates the operator instances of one element-wise step. Lives for the whole run; {@link
 * #close()} is called once at the end (DoFn teardown happens there).
 */
public interface ElementOperatorFactory extends AutoCloseable {

  ElementOperator create(OperatorContext context) throws Exception;

  @Override
  default void close() throws Exception {}
}
