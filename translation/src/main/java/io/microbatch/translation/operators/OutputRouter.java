package io.microbatch.translation.operators;

import io.microbatch.engine.graph.DatasetId;
import io.microbatch.engine.operator.Emitter;
import io.microbatch.engine.operator.OperatorContext;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.util.WindowedValueMultiReceiver;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.WindowedValue;

/** Sends a DoFn's tagged outputs to the engine datasets they were translated to. */
public final class OutputRouter implements WindowedValueMultiReceiver {
  private final Map<TupleTag<?>, Emitter> emitters = new HashMap<>();

  public OutputRouter(Map<TupleTag<?>, DatasetId> outputs, OperatorContext context) {
    outputs.forEach((tag, dataset) -> emitters.put(tag, context.output(dataset)));
  }

  @Override
  public <OutputT> void output(TupleTag<OutputT> tag, WindowedValue<OutputT> value) {
    Emitter emitter = emitters.get(tag);
    if (emitter == null) {
      return;
    }
    Emitting.emit(emitter, value);
  }
}
