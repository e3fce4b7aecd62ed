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
 * window coder in this registry; the coders themselves are code, not data. The owner of the
 * partition registers its step's window coder up front ({@link #registerWindowCoder}), so that
 * coder has the first code in every process and timers restored from a snapshot decode before
 * any timer is set; setting a timer registers its coder too, if new. Processes that predate the
 * up-front registration gave the first code to the first coder a timer was set with, which is the
 * same coder, since a keyed step namespaces all its timers by the windows of its one windowing
 * strategy. Namespaces that are neither global nor windows (tests only) are remembered as objects.
 */
final class NamespaceCodec {
  static final int GLOBAL = 0;
  static final int REMEMBERED = 1;
  private static final int FIRST_CODER = 2;

  private final List<Coder<? extends BoundedWindow>> windowCoders = new ArrayList<>();
  private final Map<String, StateNamespace> remembered = new HashMap<>();

  /** Makes window namespaces of {@code coder} decodable, keeping its code if already known. */
  void registerWindowCoder(Coder<? extends BoundedWindow> coder) {
    codeOf(coder);
  }

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
    return codeOf(coder);
  }

  private int codeOf(Coder<? extends BoundedWindow> coder) {
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
    if (index < 0 || index >= windowCoders.size()) {
      throw new IllegalStateException(
          "No window coder registered for timer namespace " + stringKey + " (code " + code
              + "): timers restored from a checkpoint need the window coder of the step that owns"
              + " the partition, registered with TimerStore.registerWindowCoder when it opens");
    }
    Coder<? extends BoundedWindow> coder = windowCoders.get(index);
    try {
      return StateNamespaces.fromString(stringKey, coder);
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "Timer namespace " + stringKey + " does not decode with window coder " + coder
              + " (code " + code + "); was the checkpoint written by a pipeline with other"
              + " windowing?", e);
    }
  }
}
