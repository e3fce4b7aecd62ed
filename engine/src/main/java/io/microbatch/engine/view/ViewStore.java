package io.microbatch.engine.view;

import io.microbatch.engine.graph.ViewId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.WindowedValue;
import org.joda.time.Instant;

/**
 * Materialized side inputs: the values of each view per window. Written by the batch loop between
 * stages (single writer), read concurrently by partition tasks of later stages. A triggered view
 * keeps only the latest pane of each window, and a window of it is readable from its first pane.
 */
public final class ViewStore implements ViewReader {
  /** The values of one window of one view, and the pane they came from. */
  private static final class WindowContents {
    final List<Object> values = new ArrayList<>();
    long pane = -1;
  }

  private final Map<ViewId, Map<BoundedWindow, WindowContents>> contents = new HashMap<>();
  private final Map<ViewId, Long> versions = new HashMap<>();
  private final Set<ViewId> triggered = new HashSet<>();
  private final Function<ViewId, Instant> viewWatermark;

  /** {@code viewWatermark} tells how far each view's input is complete. */
  public ViewStore(Function<ViewId, Instant> viewWatermark) {
    this.viewWatermark = viewWatermark;
  }

  /** Declares a view whose input fires panes early: latest pane wins, readable from the first. */
  public synchronized void declareTriggered(ViewId view) {
    triggered.add(view);
  }

  /** Adds elements to the view, each to every window it is in. */
  public synchronized void addAll(ViewId view, List<WindowedValue<?>> elements) {
    Map<BoundedWindow, WindowContents> byWindow =
        contents.computeIfAbsent(view, v -> new HashMap<>());
    boolean latestPaneOnly = triggered.contains(view);
    for (WindowedValue<?> element : elements) {
      long pane = element.getPaneInfo().getIndex();
      for (BoundedWindow window : element.getWindows()) {
        WindowContents windowContents = byWindow.computeIfAbsent(window, w -> new WindowContents());
        if (latestPaneOnly && pane < windowContents.pane) {
          continue;
        }
        if (latestPaneOnly && pane > windowContents.pane) {
          windowContents.values.clear();
        }
        windowContents.pane = Math.max(windowContents.pane, pane);
        windowContents.values.add(element.getValue());
      }
    }
    if (!elements.isEmpty()) {
      versions.merge(view, 1L, Long::sum);
    }
  }

  @Override
  public synchronized List<Object> contents(ViewId view, BoundedWindow window) {
    WindowContents values = contents.getOrDefault(view, Map.of()).get(window);
    return values == null ? List.of() : Collections.unmodifiableList(values.values);
  }

  /** Grows whenever the view receives elements: pushed-back input may be ready now. */
  public synchronized long version(ViewId view) {
    return versions.getOrDefault(view, 0L);
  }

  @Override
  public boolean isReady(ViewId view, BoundedWindow window) {
    synchronized (this) {
      if (triggered.contains(view) && contents.getOrDefault(view, Map.of()).containsKey(window)) {
        return true;
      }
    }
    Instant watermark = viewWatermark.apply(view);
    return !watermark.isBefore(window.maxTimestamp())
        || !watermark.isBefore(BoundedWindow.TIMESTAMP_MAX_VALUE);
  }
}
