package io.microbatch.state.rocksdb;

import java.util.Arrays;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.state.CombiningState;
import org.apache.beam.sdk.state.ReadableState;
import org.apache.beam.sdk.transforms.Combine.CombineFn;

/**
 * {@link CombiningState}: the accumulator, coder-encoded, at the cell prefix. A combine function
 * with context arrives here already bound to its context.
 */
final class RocksCombiningState<InputT, AccumT, OutputT> extends RocksCell
    implements CombiningState<InputT, AccumT, OutputT> {
  private final Coder<AccumT> accumCoder;
  private final CombineFn<InputT, AccumT, OutputT> combineFn;

  RocksCombiningState(
      RocksDbStore store,
      byte[] prefix,
      Coder<AccumT> accumCoder,
      CombineFn<InputT, AccumT, OutputT> combineFn) {
    super(store, prefix);
    this.accumCoder = accumCoder;
    this.combineFn = combineFn;
  }

  @Override
  public AccumT getAccum() {
    byte[] bytes = store.get(Column.STATE, prefix);
    return bytes == null ? combineFn.createAccumulator() : decode(accumCoder, bytes);
  }

  private void writeAccum(AccumT accum) {
    store.put(Column.STATE, prefix, encode(accumCoder, accum));
  }

  @Override
  public void add(InputT value) {
    writeAccum(combineFn.addInput(getAccum(), value));
  }

  @Override
  public void addAccum(AccumT accum) {
    writeAccum(combineFn.mergeAccumulators(Arrays.asList(getAccum(), accum)));
  }

  @Override
  public AccumT mergeAccumulators(Iterable<AccumT> accumulators) {
    return combineFn.mergeAccumulators(accumulators);
  }

  @Override
  public OutputT read() {
    return combineFn.extractOutput(getAccum());
  }

  @Override
  public ReadableState<Boolean> isEmpty() {
    return new LazyRead<>(() -> store.get(Column.STATE, prefix) == null);
  }

  @Override
  public CombiningState<InputT, AccumT, OutputT> readLater() {
    return this;
  }

  @Override
  public void clear() {
    store.delete(Column.STATE, prefix);
  }
}
