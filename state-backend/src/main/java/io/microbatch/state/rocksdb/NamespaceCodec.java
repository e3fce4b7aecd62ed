package io.microbatch.state.rocksdb;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.runners.core.StateNamespace;
import org.apache.beam.runners.core.StateNamespaces;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;

/**
 * Turns a timer's namespace back into the {@link StateNamespace} object a fired timer needs. A
 * window namespace is stored as its string key (the window, coder-encoded) plus the number of its
 * window coder in this registry; the coders themselves are code, not data, and are registered
 * again when timers are set. Namespaces that are neither global nor windows (tests only) are
 * remembered as objects.
 */
final class NamespaceCodec {
  static final int GLOBAL = 0;
  static final int REMEMBERED = 1;
  private static final int FIRST_CODER = 2;

  private final List<Coder<? extends BoundedWindow>> windowCoders = new ArrayList<>();
  private final Map<String, StateNamespace> remembered = new HashMap<>();

  /** The code under which {@code namespace} can be decoded from its string key. */
  int register(StateNamespace namespace) {
    Coder<? extends BoundedWindow> coder;
    if (namespace instanceof StateNamespaces.GlobalNamespace) {
      return GLOBAL;
    } else if (namespace instanceof StateNamespaces.WindowNamespace<?> window) {
      coder = window.getWindowCoder();
    } else if (namespace instanceof StateNamespaces.WindowAndTriggerNamespace<?> window) {
      coder = window.getWindowCoder();
    } else {
      remembered.put(namespace.stringKey(), namespace);
      return REMEMBERED;
    }
    int index = windowCoders.indexOf(coder);
    if (index < 0) {
      windowCoders.add(coder);
      index = windowCoders.size() - 1;
    }
    return FIRST_CODER + index;
  }

  StateNamespace decode(String stringKey, int code) {
    if (code == GLOBAL) {
      return StateNamespaces.global();
    }
    if (code == REMEMBERED) {
      StateNamespace namespace = remembered.get(stringKey);
      if (namespace == null) {
        throw new IllegalStateException("Unknown timer namespace " + stringKey);
      }
      return namespace;
    }
    int index = code - FIRST_CODER;
    if (index >= windowCoders.size()) {
      throw new IllegalStateException(
          "No window coder registered for timer namespace " + stringKey
              + " (timers restored from another process need their window coders registered)");
    }
    return StateNamespaces.fromString(stringKey, windowCoders.get(index));
  }
}
