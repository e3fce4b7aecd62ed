package io.microbatch.translation.translators;

import io.microbatch.engine.graph.DatasetId;
import io.microbatch.engine.graph.Step;
import io.microbatch.engine.graph.ViewId;
import io.microbatch.translation.TransformTranslator;
import io.microbatch.translation.TranslationContext;
import io.microbatch.translation.operators.SplittableProcessOperatorFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.runners.AppliedPTransform;
import org.apache.beam.sdk.util.construction.SplittableParDo.ProcessKeyedElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.TupleTag;

/**
 * The keyed processing of an unbounded splittable DoFn (what remains of SplittableParDo's
 * expansion once bounded ones took the naive expansion) becomes a keyed step over the random
 * per-restriction keys.
 */
public final class SplittableProcessTranslator implements TransformTranslator {
  @Override
  @SuppressWarnings({"unchecked", "rawtypes"})
  public void translate(AppliedPTransform<?, ?, ?> transform, TranslationContext context) {
    ProcessKeyedElements<Object, Object, Object, Object> process =
        (ProcessKeyedElements<Object, Object, Object, Object>) transform.getTransform();
    PCollection<?> input = (PCollection<?>) transform.getMainInputs().values().iterator().next();
    Map<TupleTag<?>, DatasetId> outputDatasets = new LinkedHashMap<>();
    List<DatasetId> outputs = new ArrayList<>();
    for (Map.Entry<TupleTag<?>, PValue> output :
        ((Map<TupleTag<?>, PValue>) (Map) transform.getOutputs()).entrySet()) {
      DatasetId dataset = context.dataset((PCollection<?>) output.getValue());
      outputDatasets.put(output.getKey(), dataset);
      outputs.add(dataset);
    }
    Map<PCollectionView<?>, ViewId> sideInputs = new LinkedHashMap<>();
    for (PCollectionView<?> view : process.getSideInputs()) {
      sideInputs.put(view, context.view(view));
    }
    context
        .graph()
        .add(
            new Step.KeyedStep(
                transform.getFullName(),
                context.dataset(input),
                TranslationContext.keyEncoder(transform, ByteArrayCoder.of()),
                new SplittableProcessOperatorFactory<>(
                    transform.getFullName(), process, context.serializableOptions(), outputDatasets, sideInputs),
                outputs,
                new ArrayList<>(sideInputs.values())));
  }
}
