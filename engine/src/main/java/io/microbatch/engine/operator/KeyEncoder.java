package io.microbatch.engine.operator;

import org.apache.beam.sdk.values.WindowedValue;

/**
 * Encodes an element's key with a deterministic coder; the shuffle routes by these bytes.
 * Serializable: a remote task encodes the keys of what it shuffles.
 */
@FunctionalInterface
public interface KeyEncoder extends java.io.Serializable {
  byte[] encodeKey(WindowedValue<?> element) throws Exception;
}
