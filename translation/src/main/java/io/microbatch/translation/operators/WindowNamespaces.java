package io.microbatch.translation.operators;

import org.apache.beam.runners.core.StateNamespace;
import org.apache.beam.runners.core.StateNamespaces;
import org.apache.beam.runners.core.TimerInternals.TimerData;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;

/** Finds the window a timer was set in from its state namespace. */
final class WindowNamespaces {
  private WindowNamespaces() {}

  static BoundedWindow windowOf(TimerData timer) {
    StateNamespace namespace = timer.getNamespace();
    if (namespace instanceof StateNamespaces.WindowNamespace<?> window) {
      return window.getWindow();
    }
    if (namespace instanceof StateNamespaces.WindowAndTriggerNamespace<?> window) {
      return window.getWindow();
    }
    return GlobalWindow.INSTANCE;
  }
}
