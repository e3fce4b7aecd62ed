package io.microbatch.engine.exec;

import io.microbatch.engine.operator.Emitter;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.values.WindowedValue;

/** Delivers each element of a dataset to all of its consumers in the task. */
final class FanOut implements Emitter {
  private final List<Emitter> consumers = new ArrayList<>();

  void add(Emitter consumer) {
    consumers.add(consumer);
  }

  @Override
  public void emit(WindowedValue<?> element) throws Exception {
    for (int i = 0; i < consumers.size(); i++) {
      consumers.get(i).emit(element);
    }
  }
}
