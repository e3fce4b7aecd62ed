package io.microbatch.state.rocksdb;

import java.io.IOException;
import org.apache.beam.runners.core.StateInternals;
import org.apache.beam.runners.core.StateNamespace;
import org.apache.beam.runners.core.StateTag;
import org.apache.beam.runners.core.StateTag.StateBinder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.state.BagState;
import org.apache.beam.sdk.state.CombiningState;
import org.apache.beam.sdk.state.MapState;
import org.apache.beam.sdk.state.MultimapState;
import org.apache.beam.sdk.state.OrderedListState;
import org.apache.beam.sdk.state.SetState;
import org.apache.beam.sdk.state.State;
import org.apache.beam.sdk.state.StateContext;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.state.WatermarkHoldState;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import org.apache.beam.sdk.transforms.CombineWithContext.CombineFnWithContext;
import org.apache.beam.sdk.transforms.windowing.TimestampCombiner;
import org.apache.beam.sdk.util.CombineFnUtil;

/**
 * Beam's {@link StateInternals} for one key over a partition's store: binds each state tag to a
 * typed view whose entries start with {@code key | namespace | state id}. Views hold no data, so
 * handing out a new one per call is as good as caching.
 */
final class RocksDbStateInternals implements StateInternals {
  private final RocksDbStore store;
  private final SequenceCounter sequence;
  private final IndexHead holdHead;
  private final NamespaceKeys namespaceKeys;
  private final byte[] key;
  private final Object userKey;

  RocksDbStateInternals(RocksDbStore store, SequenceCounter sequence, IndexHead holdHead,
      NamespaceKeys namespaceKeys, byte[] key, Object userKey) {
    this.store = store;
    this.sequence = sequence;
    this.holdHead = holdHead;
    this.namespaceKeys = namespaceKeys;
    this.key = key;
    this.userKey = userKey;
  }

  @Override
  public Object getKey() {
    return userKey;
  }

  @Override
  public <T extends State> T state(
      StateNamespace namespace, StateTag<T> address, StateContext<?> context) {
    return address.bind(new Binder(cellPrefix(namespace, address), context));
  }

  private byte[] cellPrefix(StateNamespace namespace, StateTag<?> address) {
    StringBuilder id = new StringBuilder();
    try {
      address.appendTo(id);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot name state " + address, e);
    }
    return KeyLayout.cellPrefix(key, namespaceKeys.keyOf(namespace), id.toString());
  }

  /** Creates the typed view for one cell. */
  private final class Binder implements StateBinder {
    private final byte[] prefix;
    private final StateContext<?> context;

    Binder(byte[] prefix, StateContext<?> context) {
      this.prefix = prefix;
      this.context = context;
    }

    @Override
    public <T> ValueState<T> bindValue(StateTag<ValueState<T>> spec, Coder<T> coder) {
      return new RocksValueState<>(store, prefix, coder);
    }

    @Override
    public <T> BagState<T> bindBag(StateTag<BagState<T>> spec, Coder<T> elemCoder) {
      return new RocksBagState<>(store, prefix, elemCoder, sequence);
    }

    @Override
    public <T> SetState<T> bindSet(StateTag<SetState<T>> spec, Coder<T> elemCoder) {
      return new RocksSetState<>(store, prefix, elemCoder);
    }

    @Override
    public <K, V> MapState<K, V> bindMap(
        StateTag<MapState<K, V>> spec, Coder<K> mapKeyCoder, Coder<V> mapValueCoder) {
      return new RocksMapState<>(store, prefix, mapKeyCoder, mapValueCoder);
    }

    @Override
    public <K, V> MultimapState<K, V> bindMultimap(
        StateTag<MultimapState<K, V>> spec, Coder<K> keyCoder, Coder<V> valueCoder) {
      return new RocksMultimapState<>(store, prefix, keyCoder, valueCoder, sequence);
    }

    @Override
    public <T> OrderedListState<T> bindOrderedList(
        StateTag<OrderedListState<T>> spec, Coder<T> elemCoder) {
      return new RocksOrderedListState<>(store, prefix, elemCoder, sequence);
    }

    @Override
    public <InputT, AccumT, OutputT> CombiningState<InputT, AccumT, OutputT> bindCombiningValue(
        StateTag<CombiningState<InputT, AccumT, OutputT>> spec,
        Coder<AccumT> accumCoder,
        CombineFn<InputT, AccumT, OutputT> combineFn) {
      return new RocksCombiningState<>(store, prefix, accumCoder, combineFn);
    }

    @Override
    public <InputT, AccumT, OutputT>
        CombiningState<InputT, AccumT, OutputT> bindCombiningValueWithContext(
            StateTag<CombiningState<InputT, AccumT, OutputT>> spec,
            Coder<AccumT> accumCoder,
            CombineFnWithContext<InputT, AccumT, OutputT> combineFn) {
      return new RocksCombiningState<>(
          store, prefix, accumCoder, CombineFnUtil.bindContext(combineFn, context));
    }

    @Override
    public WatermarkHoldState bindWatermark(
        StateTag<WatermarkHoldState> spec, TimestampCombiner timestampCombiner) {
      return new RocksWatermarkHoldState(store, prefix, timestampCombiner, holdHead);
    }
  }
}
