package io.microbatch.translation;

import io.microbatch.engine.clock.ManualClock;
import io.microbatch.engine.graph.DatasetId;
import io.microbatch.engine.graph.StepGraph;
import io.microbatch.engine.graph.ViewId;
import io.microbatch.engine.operator.KeyEncoder;
import java.util.IdentityHashMap;
import java.util.Map;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.runners.core.construction.SerializablePipelineOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.runners.AppliedPTransform;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.WindowedValues;

/** The state of one translation: the graph being built and what each PCollection became. */
public final class TranslationContext {
  private final StepGraph graph = new StepGraph();
  private final PipelineOptions options;
  private SerializablePipelineOptions serializableOptions;
  private final Map<PCollection<?>, DatasetId> datasets = new IdentityHashMap<>();
  private final Map<PCollectionView<?>, ViewId> views = new IdentityHashMap<>();

  public TranslationContext(PipelineOptions options) {
    this.options = options;
  }

  public StepGraph graph() {
    return graph;
  }

  /** The manual clock of a pipeline driven by a TestStream; created on first use. */
  public ManualClock manualClock() {
    if (!(graph.clock() instanceof ManualClock)) {
      graph.drivenBy(new ManualClock());
    }
    return (ManualClock) graph.clock();
  }

  public PipelineOptions options() {
    return options;
  }

  /**
   * The options as steps keep them (and ship them to remote executors): serialized to JSON once
   * per translation, which costs milliseconds, instead of once per step.
   */
  public SerializablePipelineOptions serializableOptions() {
    if (serializableOptions == null) {
      serializableOptions = new SerializablePipelineOptions(options);
    }
    return serializableOptions;
  }

  /** The dataset of a PCollection, created when first asked for (by its producer). */
  public DatasetId dataset(PCollection<?> pcollection) {
    return datasets.computeIfAbsent(pcollection, this::newDataset);
  }

  private DatasetId newDataset(PCollection<?> pc) {
    Coder<?> coder;
    try {
      coder = pc.getCoder();
    } catch (IllegalStateException e) {
      // Some runner-internal collections carry no coder; they are never persisted.
      return graph.newDataset(pc.getName());
    }
    return graph.newDataset(
        pc.getName(),
        WindowedValues.getFullCoder(coder, pc.getWindowingStrategy().getWindowFn().windowCoder()));
  }

  /** The engine view of a Beam side input. */
  public ViewId view(PCollectionView<?> view) {
    return views.computeIfAbsent(view, v -> graph.newView(v.getName()));
  }

  /**
   * A key encoder for a keyed step; refuses a key coder that is not deterministic, since grouping
   * by its bytes would then split equal keys.
   */
  public static <K> KeyEncoder keyEncoder(AppliedPTransform<?, ?, ?> step, Coder<K> keyCoder) {
    try {
      keyCoder.verifyDeterministic();
    } catch (Coder.NonDeterministicException e) {
      throw new IllegalArgumentException(
          "Step '"
              + step.getFullName()
              + "' groups by key with the coder "
              + keyCoder
              + ", which is not deterministic: "
              + e.getMessage(),
          e);
    }
    return element -> {
      @SuppressWarnings("unchecked")
      KV<K, ?> kv = (KV<K, ?>) element.getValue();
      return CoderUtils.encodeToByteArray(keyCoder, kv.getKey());
    };
  }
}
