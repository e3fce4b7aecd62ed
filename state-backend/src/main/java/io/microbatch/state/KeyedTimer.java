package io.microbatch.state;

import org.apache.beam.runners.core.TimerInternals.TimerData;

/** A timer together with the encoded key it belongs to. */
public record KeyedTimer(ByteKey key, TimerData timer) {}
