package io.microbatch.engine.view;

import io.microbatch.engine.graph.ViewId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.WindowedValue;
import org.joda.time.Instant;

/**
 * Materialized side inputs: the values of each view per window. Written by the batch loop between
 * stages (single writer), read concurrently by partition tasks of later stages.
 */
public final class ViewStore implements ViewReader {
  private final Map<ViewId, Map<BoundedWindow, List<Object>>> contents = new HashMap<>();
  private final Function<ViewId, Instant> viewWatermark;

  /** {@code viewWatermark} tells how far each view's input is complete. */
  public ViewStore(Function<ViewId, Instant> viewWatermark) {
    this.viewWatermark = viewWatermark;
  }

  /** Adds elements to the view, each to every window it is in. */
  public synchronized void addAll(ViewId view, List<WindowedValue<?>> elements) {
    Map<BoundedWindow, List<Object>> byWindow =
        contents.computeIfAbsent(view, v -> new HashMap<>());
    for (WindowedValue<?> element : elements) {
      for (BoundedWindow window : element.getWindows()) {
        byWindow.computeIfAbsent(window, w -> new ArrayList<>()).add(element.getValue());
      }
    }
  }

  @Override
  public synchronized List<Object> contents(ViewId view, BoundedWindow window) {
    List<Object> values = contents.getOrDefault(view, Map.of()).get(window);
    return values == null ? List.of() : Collections.unmodifiableList(values);
  }

  @Override
  public boolean isReady(ViewId view, BoundedWindow window) {
    Instant watermark = viewWatermark.apply(view);
    return !watermark.isBefore(window.maxTimestamp())
        || !watermark.isBefore(BoundedWindow.TIMESTAMP_MAX_VALUE);
  }
}
