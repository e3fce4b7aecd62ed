package io.microbatch.engine.exec;

import io.microbatch.state.ByteKey;
import org.apache.beam.sdk.values.WindowedValue;

/** An element on its way to a keyed stage, with its encoded key. */
record ShuffleRecord(ByteKey key, WindowedValue<?> element) {}
