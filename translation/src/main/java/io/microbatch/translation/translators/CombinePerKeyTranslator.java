package io.microbatch.translation.translators;

import io.microbatch.engine.graph.DatasetId;
import io.microbatch.engine.graph.Step;
import io.microbatch.translation.TransformTranslator;
import io.microbatch.translation.TranslationContext;
import io.microbatch.translation.operators.AccumulatorMergingFn;
import io.microbatch.translation.operators.GroupAlsoByWindowOperatorFactory;
import io.microbatch.translation.operators.PartialCombineOperatorFactory;
import java.util.List;
import org.apache.beam.runners.core.SystemReduceFn;
import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.runners.AppliedPTransform;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.DefaultTrigger;
import org.apache.beam.sdk.util.AppliedCombineFn;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.WindowedValues;
import org.apache.beam.sdk.values.WindowingStrategy;

/**
 * Combine.perKey with combiner lifting: a partial combine fused before the shuffle folds values
 * into accumulators, and the keyed step after it merges them through runners-core's
 * group-also-by-window. Lifted only where that cannot change the result: a plain {@link
 * CombineFn} without side inputs, non-merging windows and the default trigger (a count trigger
 * would count accumulators instead of elements). Anything else takes the expansion
 * (GroupByKey + Combine.GroupedValues).
 */
public final class CombinePerKeyTranslator implements TransformTranslator {

  @Override
  public boolean canTranslate(AppliedPTransform<?, ?, ?> transform, TranslationContext context) {
    if (!(transform.getTransform() instanceof Combine.PerKey<?, ?, ?> perKey)
        || !(perKey.getFn() instanceof CombineFn<?, ?, ?>)
        || !perKey.getSideInputs().isEmpty()) {
      return false;
    }
    PCollection<?> input = input(transform);
    WindowingStrategy<?, ?> strategy = input.getWindowingStrategy();
    return input.getCoder() instanceof KvCoder<?, ?> kvCoder
        && strategy.getWindowFn().isNonMerging()
        && strategy.getTrigger() instanceof DefaultTrigger
        && accumulatorCoder((CombineFn<?, ?, ?>) perKey.getFn(), input, kvCoder) != null;
  }

  @Override
  @SuppressWarnings({"unchecked", "rawtypes"})
  public void translate(AppliedPTransform<?, ?, ?> transform, TranslationContext context) {
    Combine.PerKey<Object, Object, Object> perKey =
        (Combine.PerKey<Object, Object, Object>) transform.getTransform();
    CombineFn<Object, Object, Object> fn = (CombineFn<Object, Object, Object>) perKey.getFn();
    PCollection<?> input = input(transform);
    PCollection<?> output = (PCollection<?>) transform.getOutputs().values().iterator().next();
    KvCoder<Object, Object> kvCoder = (KvCoder<Object, Object>) input.getCoder();
    Coder<Object> accumulatorCoder = accumulatorCoder(fn, input, kvCoder);
    WindowingStrategy<?, BoundedWindow> strategy =
        (WindowingStrategy<?, BoundedWindow>) input.getWindowingStrategy();
    String name = transform.getFullName();

    DatasetId partials =
        context
            .graph()
            .newDataset(
                name + "/Partial.out",
                WindowedValues.getFullCoder(
                    KvCoder.of(kvCoder.getKeyCoder(), accumulatorCoder),
                    strategy.getWindowFn().windowCoder()));
    context
        .graph()
        .add(
            new Step.ElementStep(
                name + "/Partial",
                List.of(context.dataset(input)),
                new PartialCombineOperatorFactory<>(
                    fn, kvCoder.getKeyCoder(), strategy.getTimestampCombiner(), partials),
                List.of(partials),
                List.of()));

    AccumulatorMergingFn<Object, Object> merging =
        new AccumulatorMergingFn<>(fn, accumulatorCoder);
    AppliedCombineFn<Object, Object, Object, Object> applied =
        AppliedCombineFn.withAccumulatorCoder(
            merging,
            accumulatorCoder,
            List.of(),
            KvCoder.of(kvCoder.getKeyCoder(), accumulatorCoder),
            strategy);
    DatasetId out = context.dataset(output);
    context
        .graph()
        .add(
            new Step.KeyedStep(
                name,
                partials,
                TranslationContext.keyEncoder(transform, kvCoder.getKeyCoder()),
                new GroupAlsoByWindowOperatorFactory<>(
                    kvCoder.getKeyCoder(),
                    strategy,
                    (SystemReduceFn) SystemReduceFn.combining(kvCoder.getKeyCoder(), applied),
                    out,
                    context.serializableOptions()),
                List.of(out),
                List.of()));
  }

  private static PCollection<?> input(AppliedPTransform<?, ?, ?> transform) {
    return (PCollection<?>) transform.getMainInputs().values().iterator().next();
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Coder<Object> accumulatorCoder(
      CombineFn<?, ?, ?> fn, PCollection<?> input, KvCoder<?, ?> kvCoder) {
    try {
      return ((CombineFn) fn)
          .getAccumulatorCoder(input.getPipeline().getCoderRegistry(), kvCoder.getValueCoder());
    } catch (CannotProvideCoderException e) {
      return null;
    }
  }
}
