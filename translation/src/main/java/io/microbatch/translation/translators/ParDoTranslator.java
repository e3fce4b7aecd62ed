package io.microbatch.translation.translators;

import io.microbatch.engine.graph.DatasetId;
import io.microbatch.engine.graph.Step;
import io.microbatch.engine.graph.ViewId;
import io.microbatch.translation.TransformTranslator;
import io.microbatch.translation.TranslationContext;
import io.microbatch.translation.operators.DoFnOperatorFactory;
import io.microbatch.translation.operators.DoFnSpec;
import io.microbatch.translation.operators.StatefulDoFnOperatorFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.runners.AppliedPTransform;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.reflect.DoFnSignature;
import org.apache.beam.sdk.transforms.reflect.DoFnSignatures;
import org.apache.beam.sdk.util.construction.ParDoTranslation;
import org.apache.beam.sdk.util.construction.TransformInputs;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.TupleTag;

/**
 * ParDo becomes a fused element-wise step, or, when its DoFn uses state or timers, a keyed step
 * after a shuffle by the encoded key.
 */
public final class ParDoTranslator implements TransformTranslator {

  @Override
  @SuppressWarnings({"unchecked", "rawtypes"})
  public void translate(AppliedPTransform<?, ?, ?> transform, TranslationContext context) {
    ParDo.MultiOutput<Object, Object> parDo =
        (ParDo.MultiOutput<Object, Object>) transform.getTransform();
    DoFn<Object, Object> fn = parDo.getFn();
    DoFnSignature signature = DoFnSignatures.getSignature(fn.getClass());
    String name = transform.getFullName();
    if (signature.processElement().isSplittable()) {
      throw new IllegalStateException(
          "Step '" + name + "' is a splittable DoFn that was not expanded by the runner overrides");
    }
    PCollection<Object> input =
        (PCollection<Object>)
            TransformInputs.nonAdditionalInputs((AppliedPTransform) transform).iterator().next();
    Map<TupleTag<?>, Coder<?>> outputCoders = new LinkedHashMap<>();
    Map<TupleTag<?>, DatasetId> outputDatasets = new LinkedHashMap<>();
    List<DatasetId> outputs = new ArrayList<>();
    for (Map.Entry<TupleTag<?>, PValue> output :
        ((Map<TupleTag<?>, PValue>) (Map) transform.getOutputs()).entrySet()) {
      PCollection<?> pc = (PCollection<?>) output.getValue();
      outputCoders.put(output.getKey(), pc.getCoder());
      DatasetId dataset = context.dataset(pc);
      outputDatasets.put(output.getKey(), dataset);
      outputs.add(dataset);
    }
    Map<PCollectionView<?>, ViewId> sideInputs = new LinkedHashMap<>();
    for (PCollectionView<?> view : parDo.getSideInputs().values()) {
      sideInputs.put(view, context.view(view));
    }
    DoFnSpec<Object, Object> spec =
        new DoFnSpec<>(
            name,
            fn,
            context.serializableOptions(),
            input.getCoder(),
            parDo.getMainOutputTag(),
            parDo.getAdditionalOutputTags().getAll(),
            outputCoders,
            outputDatasets,
            input.getWindowingStrategy(),
            ParDoTranslation.getSchemaInformation((AppliedPTransform) transform),
            ParDoTranslation.getSideInputMapping((AppliedPTransform) transform),
            sideInputs);
    DatasetId in = context.dataset(input);
    List<ViewId> views = new ArrayList<>(sideInputs.values());
    if (signature.usesState() || signature.usesTimers()) {
      Coder<?> inputCoder = input.getCoder();
      if (!(inputCoder instanceof KvCoder<?, ?> kvCoder)) {
        throw new IllegalArgumentException(
            "Step '" + name + "' uses state or timers, so its input must be KV with a KvCoder, not "
                + input.getCoder());
      }
      context
          .graph()
          .add(
              new Step.KeyedStep(
                  name,
                  in,
                  TranslationContext.keyEncoder(transform, kvCoder.getKeyCoder()),
                  new StatefulDoFnOperatorFactory(spec, kvCoder.getKeyCoder()),
                  outputs,
                  views));
    } else {
      context
          .graph()
          .add(
              new Step.ElementStep(
                  name, List.of(in), new DoFnOperatorFactory<>(spec), outputs, views));
    }
  }
}
