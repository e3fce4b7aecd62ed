package io.microbatch.engine.view;

import io.microbatch.engine.graph.ViewId;
import java.util.List;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;

/** Read access to materialized side inputs. */
public interface ViewReader {

  /** The values of the view in the window (empty if none arrived). */
  List<Object> contents(ViewId view, BoundedWindow window);

  /** True once the view's contents for the window are complete. */
  boolean isReady(ViewId view, BoundedWindow window);
}
