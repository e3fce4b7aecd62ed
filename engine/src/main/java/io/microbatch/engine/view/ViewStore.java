package io.microbatch.engine.view;

import io.microbatch.engine.graph.ViewId;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.WindowedValue;
import org.apache.beam.sdk.values.WindowedValues;
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

  /**
   * Writes one view's contents for a checkpoint: per window its pane index and values, each value
   * as a windowed value of the view input's coder.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public synchronized void encode(ViewId view, Coder<WindowedValue<?>> coder, DataOutputStream out)
      throws IOException {
    Map<BoundedWindow, WindowContents> windows = contents.getOrDefault(view, Map.of());
    out.writeInt(windows.size());
    for (Map.Entry<BoundedWindow, WindowContents> window : windows.entrySet()) {
      out.writeLong(window.getValue().pane);
      out.writeInt(window.getValue().values.size());
      for (Object value : window.getValue().values) {
        byte[] bytes =
            CoderUtils.encodeToByteArray(
                (Coder) coder,
                WindowedValues.of(
                    value, window.getKey().maxTimestamp(), window.getKey(), PaneInfo.NO_FIRING));
        out.writeInt(bytes.length);
        out.write(bytes);
      }
    }
  }

  /** Reads back what {@link #encode} wrote, replacing the view's contents. */
  public synchronized void restore(ViewId view, Coder<WindowedValue<?>> coder, DataInputStream in)
      throws IOException {
    Map<BoundedWindow, WindowContents> windows = new HashMap<>();
    int windowCount = in.readInt();
    for (int w = 0; w < windowCount; w++) {
      long pane = in.readLong();
      int valueCount = in.readInt();
      WindowContents restored = new WindowContents();
      restored.pane = pane;
      BoundedWindow window = null;
      for (int v = 0; v < valueCount; v++) {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        WindowedValue<?> value = CoderUtils.decodeFromByteArray(coder, bytes);
        window = value.getWindows().iterator().next();
        restored.values.add(value.getValue());
      }
      if (window != null) {
        windows.put(window, restored);
      }
    }
    contents.put(view, windows);
    versions.merge(view, 1L, Long::sum);
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
