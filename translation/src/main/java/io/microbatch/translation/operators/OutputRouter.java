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
  // Most DoFns have one output: checked first by identity, without hashing the tag per element.
  private final TupleTag<?> onlyTag;
  private final Emitter onlyEmitter;

  public OutputRouter(Map<TupleTag<?>, DatasetId> outputs, OperatorContext context) {
    outputs.forEach((tag, dataset) -> emitters.put(tag, context.output(dataset)));
    if (emitters.size() == 1) {
      Map.Entry<TupleTag<?>, Emitter> only = emitters.entrySet().iterator().next();
      onlyTag = only.getKey();
      onlyEmitter = only.getValue();
    } else {
      onlyTag = null;
      onlyEmitter = null;
    }
  }

  @Override
  public <OutputT> void output(TupleTag<OutputT> tag, WindowedValue<OutputT> value) {
    Emitter emitter = tag == onlyTag ? onlyEmitter : emitters.get(tag);
    if (emitter == null) {
      return;
    }
    Emitting.emit(emitter, value);
  }
}
