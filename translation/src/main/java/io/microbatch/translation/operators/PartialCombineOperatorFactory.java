package io.microbatch.translation.operators;

import io.microbatch.engine.graph.DatasetId;
import io.microbatch.engine.operator.ElementOperator;
import io.microbatch.engine.operator.ElementOperatorFactory;
import io.microbatch.engine.operator.Emitter;
import io.microbatch.engine.operator.OperatorContext;
import io.microbatch.state.ByteKey;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.sdk.metrics.MetricsContainer;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.transforms.windowing.TimestampCombiner;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.util.SerializableUtils;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.WindowedValue;
import org.apache.beam.sdk.values.WindowedValues;
import org.joda.time.Instant;

/**
 * The map half of a lifted combine: folds each bundle's values per key and window into
 * accumulators before the shuffle, so only one accumulator per key, window and partition crosses
 * it. A bundle with very many distinct keys flushes early to bound memory.
 */
public final class PartialCombineOperatorFactory<K, InputT, AccumT>
    implements ElementOperatorFactory {
  /** Beyond this many distinct (key, window) slots a bundle flushes what it holds. */
  static final int MAX_SLOTS = 50_000;

  private final CombineFn<InputT, AccumT, ?> fn;
  private final Coder<K> keyCoder;
  private final TimestampCombiner timestampCombiner;
  private final DatasetId output;
  // One deserialized copy per partition: user CombineFns are not required to be thread-safe.
  // Transient: a copy of the factory on a remote executor clones its own.
  private transient Map<Integer, CombineFn<InputT, AccumT, ?>> fnPerPartition =
      new ConcurrentHashMap<>();

  private void readObject(java.io.ObjectInputStream in)
      throws java.io.IOException, ClassNotFoundException {
    in.defaultReadObject();
    fnPerPartition = new ConcurrentHashMap<>();
  }

  public PartialCombineOperatorFactory(
      CombineFn<InputT, AccumT, ?> fn,
      Coder<K> keyCoder,
      TimestampCombiner timestampCombiner,
      DatasetId output) {
    this.fn = fn;
    this.keyCoder = keyCoder;
    this.timestampCombiner = timestampCombiner;
    this.output = output;
  }

  @Override
  public ElementOperator create(OperatorContext context) {
    CombineFn<InputT, AccumT, ?> local =
        fnPerPartition.computeIfAbsent(context.partition(), p -> SerializableUtils.clone(fn));
    return new Operator(local, context);
  }

  private record Slot(ByteKey key, BoundedWindow window) {}

  private final class Partial {
    final K key;
    AccumT accumulator;
    Instant timestamp;

    Partial(K key, AccumT accumulator, Instant timestamp) {
      this.key = key;
      this.accumulator = accumulator;
      this.timestamp = timestamp;
    }
  }

  private final class Operator implements ElementOperator {
    private final CombineFn<InputT, AccumT, ?> fn;
    private final OperatorContext context;
    private final Emitter emitter;
    private final Map<Slot, Partial> partials = new LinkedHashMap<>();

    Operator(CombineFn<InputT, AccumT, ?> fn, OperatorContext context) {
      this.fn = fn;
      this.context = context;
      this.emitter = context.output(output);
    }

    @Override
    public void startBundle() {}

    @Override
    @SuppressWarnings("unchecked")
    public void process(WindowedValue<?> element) throws Exception {
      KV<K, InputT> kv = (KV<K, InputT>) element.getValue();
      ByteKey key = ByteKey.of(CoderUtils.encodeToByteArray(keyCoder, kv.getKey()));
      MetricsContainer previousMetrics = context.enterMetrics();
      try {
        for (BoundedWindow window : element.getWindows()) {
          Instant assigned = timestampCombiner.assign(window, element.getTimestamp());
          Slot slot = new Slot(key, window);
          Partial partial = partials.get(slot);
          if (partial == null) {
            partial = new Partial(kv.getKey(), fn.createAccumulator(), assigned);
            partials.put(slot, partial);
          } else {
            partial.timestamp = timestampCombiner.combine(partial.timestamp, assigned);
          }
          partial.accumulator = fn.addInput(partial.accumulator, kv.getValue());
        }
      } finally {
        context.exitMetrics(previousMetrics);
      }
      if (partials.size() >= MAX_SLOTS) {
        flush();
      }
    }

    @Override
    public void finishBundle() throws Exception {
      flush();
    }

    private void flush() throws Exception {
      MetricsContainer previousMetrics = context.enterMetrics();
      try {
        for (Map.Entry<Slot, Partial> entry : partials.entrySet()) {
          Partial partial = entry.getValue();
          emitter.emit(
              WindowedValues.of(
                  KV.of(partial.key, fn.compact(partial.accumulator)),
                  partial.timestamp,
                  entry.getKey().window(),
                  PaneInfo.NO_FIRING));
        }
      } finally {
        context.exitMetrics(previousMetrics);
      }
      partials.clear();
    }

    @Override
    public void abort() {
      partials.clear();
    }
  }
}
