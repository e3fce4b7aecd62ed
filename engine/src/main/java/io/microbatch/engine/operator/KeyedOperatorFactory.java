package io.microbatch.engine.operator;

/** Creates the operator instances of one keyed step; closed once at the end of the run. */
public interface KeyedOperatorFactory extends AutoCloseable {

  KeyedOperator create(KeyedContext context) throws Exception;

  @Override
  default void close() throws Exception {}
}
