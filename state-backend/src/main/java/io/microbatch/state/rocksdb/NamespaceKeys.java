package io.microbatch.state.rocksdb;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.runners.core.StateNamespace;
import org.apache.beam.runners.core.StateNamespaces;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;

/**
 * The key bytes of a state namespace: the UTF-8 bytes of {@link StateNamespace#stringKey()},
 * exactly what cell prefixes and timer identities held before this class existed, so stores and
 * snapshots written earlier are read as before.
 *
 * <p>Why a cache: {@code stringKey()} of a window namespace encodes the window with its coder and
 * Base64s it, and runners-core builds a new namespace object per element and window, so every state
 * access and timer set paid that encoding (a quarter of q5's partition-task samples). A partition
 * touches few distinct windows at a time, so the bytes are remembered per (window, trigger index,
 * window coder), in least-recently-used order up to a bound.
 *
 * <p>Why only for coders {@linkplain Coder#consistentWithEquals() consistent with equals}: only then
 * do equal windows encode to equal bytes, which is what makes the window's own {@code equals} a
 * safe cache key. For any other coder (and any namespace that is neither global nor a window) the
 * key is computed per call, as before.
 *
 * <p>Not thread-safe: one partition's state is used by one task at a time.
 */
final class NamespaceKeys {
  /**
   * Default bound. An entry is a window, a small key object and a byte array of a few dozen bytes;
   * 10,000 of them are well under 2 MB and cover the live windows of sliding windows with many
   * periods per size. Session windows differ per key; when they outnumber the bound, the least
   * recently used are encoded again on their next use, which costs what every use cost before.
   */
  static final int DEFAULT_CAPACITY = 10_000;

  private static final byte[] GLOBAL =
      StateNamespaces.global().stringKey().getBytes(StandardCharsets.UTF_8);

  private final LruMap cache;

  NamespaceKeys() {
    this(DEFAULT_CAPACITY);
  }

  /** {@code capacity}: the most namespaces remembered at once, small in tests. */
  NamespaceKeys(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive: " + capacity);
    }
    this.cache = new LruMap(capacity);
  }

  /**
   * The UTF-8 bytes of {@code namespace.stringKey()}. The returned array is shared: callers copy it
   * into keys and never modify it.
   */
  byte[] keyOf(StateNamespace namespace) {
    if (namespace instanceof StateNamespaces.GlobalNamespace) {
      return GLOBAL;
    }
    CacheKey cacheKey = cacheKeyOf(namespace);
    if (cacheKey == null) {
      return encode(namespace);
    }
    byte[] bytes = cache.get(cacheKey);
    if (bytes == null) {
      bytes = encode(namespace);
      cache.put(cacheKey, bytes);
    }
    return bytes;
  }

  /** Number of namespaces remembered now. */
  int size() {
    return cache.size();
  }

  private static byte[] encode(StateNamespace namespace) {
    return namespace.stringKey().getBytes(StandardCharsets.UTF_8);
  }

  /** The cache key of a window namespace whose coder allows it, else {@code null}. */
  private static CacheKey cacheKeyOf(StateNamespace namespace) {
    if (namespace instanceof StateNamespaces.WindowNamespace<?> window) {
      return cacheKeyOf(window.getWindowCoder(), window.getWindow(), -1);
    }
    if (namespace instanceof StateNamespaces.WindowAndTriggerNamespace<?> window) {
      return cacheKeyOf(window.getWindowCoder(), window.getWindow(), window.getTriggerIndex());
    }
    return null;
  }

  private static CacheKey cacheKeyOf(
      Coder<? extends BoundedWindow> coder, BoundedWindow window, int triggerIndex) {
    // The coder is part of the key: the same window under another coder has other bytes.
    return coder.consistentWithEquals() ? new CacheKey(window, triggerIndex, coder) : null;
  }

  /**
   * A window namespace by value. {@code triggerIndex} is -1 for a plain window namespace (trigger
   * indexes are never negative), so the two kinds of namespace of one window never share an entry.
   * Not a record: a record would hash the coder too, and {@code StructuredCoder.hashCode} builds
   * its component list on every call (a profile showed it); the coder is compared in {@link
   * #equals} only, where it is nearly always the identical object.
   */
  private static final class CacheKey {
    private final BoundedWindow window;
    private final int triggerIndex;
    private final Coder<?> coder;
    private final int hash;

    CacheKey(BoundedWindow window, int triggerIndex, Coder<?> coder) {
      this.window = window;
      this.triggerIndex = triggerIndex;
      this.coder = coder;
      this.hash = 31 * window.hashCode() + triggerIndex;
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof CacheKey that
          && hash == that.hash
          && triggerIndex == that.triggerIndex
          && window.equals(that.window)
          && (coder == that.coder || coder.equals(that.coder));
    }
  }

  /** An access-ordered map that drops its least recently used entry beyond its capacity. */
  private static final class LruMap extends LinkedHashMap<CacheKey, byte[]> {
    private final int capacity;

    LruMap(int capacity) {
      super(16, 0.75f, true);
      this.capacity = capacity;
    }

    @Override
    protected boolean removeEldestEntry(Map.Entry<CacheKey, byte[]> eldest) {
      return size() > capacity;
    }
  }
}
