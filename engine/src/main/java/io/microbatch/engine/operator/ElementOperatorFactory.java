package io.microbatch.engine.operator;

/**
 * Creates the operator instances of one element-wise step. Lives for the whole run; {@link
 * #close()} is called once at the end (DoFn teardown happens there).
 *
 * <p>Serializable so a remote executor can receive the stage's operator chain once per job
 * (issue #10): what it holds must be serializable (DoFns, coders, windowing strategies are), and
 * runtime objects such as DoFn instance pools must be transient or rebuilt after
 * deserialization.
 */
public interface ElementOperatorFactory extends AutoCloseable, java.io.Serializable {

  ElementOperator create(OperatorContext context) throws Exception;

  @Override
  default void close() throws Exception {}
}
