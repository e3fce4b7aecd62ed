package io.microbatch.engine.operator;

import org.apache.beam.sdk.values.WindowedValue;

/** Encodes an element's key with a deterministic coder; the shuffle routes by these bytes. */
@FunctionalInterface
public interface KeyEncoder {
  byte[] encodeKey(WindowedValue<?> element) throws Exception;
}
