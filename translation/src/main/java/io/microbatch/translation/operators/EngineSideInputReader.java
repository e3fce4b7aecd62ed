package io.microbatch.translation.operators;

import io.microbatch.engine.graph.ViewId;
import io.microbatch.engine.view.ViewReader;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.runners.core.InMemoryMultimapSideInputView;
import org.apache.beam.runners.core.SideInputReader;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.transforms.Materializations;
import org.apache.beam.sdk.transforms.ViewFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.runners.core.ReadyCheckingSideInputReader;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * Beam's {@link SideInputReader} over the engine's materialized views: applies each view's {@link
 * ViewFn} to the window's values, once per window per instance.
 */
public final class EngineSideInputReader implements ReadyCheckingSideInputReader {
  private final Map<PCollectionView<?>, ViewId> views;
  private final ViewReader reader;
  private final Map<PCollectionView<?>, Map<BoundedWindow, Object>> cache = new HashMap<>();

  public EngineSideInputReader(Map<PCollectionView<?>, ViewId> views, ViewReader reader) {
    this.views = views;
    this.reader = reader;
  }

  /** True when the view is complete for the given side-input window. */
  @Override
  public boolean isReady(PCollectionView<?> view, BoundedWindow sideWindow) {
    return reader.isReady(views.get(view), sideWindow);
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> T get(PCollectionView<T> view, BoundedWindow window) {
    ViewId id = views.get(view);
    if (id == null) {
      throw new IllegalArgumentException("Unknown side input " + view);
    }
    return (T)
        cache
            .computeIfAbsent(view, v -> new HashMap<>())
            .computeIfAbsent(window, w -> materialize(view, reader.contents(id, w)));
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static <T> T materialize(PCollectionView<T> view, List<Object> values) {
    String urn = view.getViewFn().getMaterialization().getUrn();
    switch (urn) {
      case Materializations.ITERABLE_MATERIALIZATION_URN:
        {
          ViewFn<Materializations.IterableView, T> viewFn =
              (ViewFn<Materializations.IterableView, T>) view.getViewFn();
          return viewFn.apply(() -> (Iterable) values);
        }
      case Materializations.MULTIMAP_MATERIALIZATION_URN:
        {
          ViewFn<Materializations.MultimapView, T> viewFn =
              (ViewFn<Materializations.MultimapView, T>) view.getViewFn();
          Coder<Object> keyCoder =
              (Coder<Object>) ((KvCoder<?, ?>) view.getCoderInternal()).getKeyCoder();
          return viewFn.apply(
              InMemoryMultimapSideInputView.fromIterable(
                  keyCoder, (Iterable<KV<Object, Object>>) (Iterable) values));
        }
      default:
        throw new IllegalStateException(
            "Side input " + view + " asks for the unknown materialization " + urn);
    }
  }

  @Override
  public <T> boolean contains(PCollectionView<T> view) {
    return views.containsKey(view);
  }

  @Override
  public boolean isEmpty() {
    return views.isEmpty();
  }
}
