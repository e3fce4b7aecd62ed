package io.microbatch.translation.operators;

import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import org.apache.beam.sdk.transforms.display.DisplayData;

/**
 * The reduce half of a lifted combine: its inputs are the partial accumulators built before the
 * shuffle, which it merges with the user's {@link CombineFn} and finally extracts.
 */
public final class AccumulatorMergingFn<AccumT, OutputT> extends CombineFn<AccumT, AccumT, OutputT> {
  private final CombineFn<?, AccumT, OutputT> fn;
  private final Coder<AccumT> accumulatorCoder;

  public AccumulatorMergingFn(CombineFn<?, AccumT, OutputT> fn, Coder<AccumT> accumulatorCoder) {
    this.fn = fn;
    this.accumulatorCoder = accumulatorCoder;
  }

  @Override
  public AccumT createAccumulator() {
    return fn.createAccumulator();
  }

  @Override
  public AccumT addInput(AccumT accumulator, AccumT partial) {
    return fn.mergeAccumulators(java.util.List.of(accumulator, partial));
  }

  @Override
  public AccumT mergeAccumulators(Iterable<AccumT> accumulators) {
    return fn.mergeAccumulators(accumulators);
  }

  @Override
  public OutputT extractOutput(AccumT accumulator) {
    return fn.extractOutput(accumulator);
  }

  @Override
  public AccumT compact(AccumT accumulator) {
    return fn.compact(accumulator);
  }

  @Override
  public Coder<AccumT> getAccumulatorCoder(CoderRegistry registry, Coder<AccumT> inputCoder) {
    return accumulatorCoder;
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    fn.populateDisplayData(builder);
  }
}
