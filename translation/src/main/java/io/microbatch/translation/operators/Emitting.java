package io.microbatch.translation.operators;

import io.microbatch.engine.operator.Emitter;
import org.apache.beam.sdk.values.WindowedValue;

/** Calls an {@link Emitter} from Beam callbacks, which cannot throw checked exceptions. */
final class Emitting {
  private Emitting() {}

  static void emit(Emitter emitter, WindowedValue<?> value) {
    try {
      emitter.emit(value);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new RuntimeException(e);
    }
  }
}
