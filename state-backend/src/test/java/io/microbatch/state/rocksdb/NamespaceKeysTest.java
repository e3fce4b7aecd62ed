package io.microbatch.state.rocksdb;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.sameInstance;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.apache.beam.runners.core.StateNamespace;
import org.apache.beam.runners.core.StateNamespaces;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/** The key bytes of namespaces: those of {@code stringKey()}, remembered per window by value. */
class NamespaceKeysTest {

  private static IntervalWindow window(long startMillis) {
    return new IntervalWindow(new Instant(startMillis), new Instant(startMillis + 60_000));
  }

  private static StateNamespace windowNamespace(long startMillis) {
    return StateNamespaces.window(IntervalWindow.getCoder(), window(startMillis));
  }

  private static byte[] stringKeyBytes(StateNamespace namespace) {
    return namespace.stringKey().getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void keysAreTheBytesOfStringKeyAsStoresWrittenBeforeTheCacheHoldThem() {
    NamespaceKeys keys = new NamespaceKeys();
    // Literals from runners-core 2.73.0's stringKey(), pinned so that a change of the layout (ours
    // or Beam's encoding) shows here and not as state silently missing after a restore.
    assertThat(new String(keys.keyOf(windowNamespace(0)), StandardCharsets.UTF_8),
        equalTo("/gAAAAAAA6mDg1AM/"));
    assertThat(new String(keys.keyOf(StateNamespaces.windowAndTrigger(
            IntervalWindow.getCoder(), window(0), 11)), StandardCharsets.UTF_8),
        equalTo("/gAAAAAAA6mDg1AM/B/"));
    assertThat(new String(keys.keyOf(StateNamespaces.global()), StandardCharsets.UTF_8),
        equalTo("/"));
    for (long start = -120_000; start <= 120_000; start += 7_000) {
      StateNamespace namespace = windowNamespace(start);
      assertThat(keys.keyOf(namespace), equalTo(stringKeyBytes(namespace)));
      assertThat("again, from the cache", keys.keyOf(namespace), equalTo(stringKeyBytes(namespace)));
    }
  }

  @Test
  void equalWindowsFromDifferentObjectsShareOneEntry() {
    NamespaceKeys keys = new NamespaceKeys();
    byte[] first = keys.keyOf(windowNamespace(6_000));
    byte[] second = keys.keyOf(windowNamespace(6_000));
    assertThat(second, sameInstance(first));
    assertThat(keys.size(), equalTo(1));
  }

  @Test
  void differentWindowsAndTriggerIndexesNeverShareAKey() {
    NamespaceKeys keys = new NamespaceKeys();
    StateNamespace[] namespaces = {
      windowNamespace(0),
      windowNamespace(1),
      StateNamespaces.window(IntervalWindow.getCoder(),
          new IntervalWindow(new Instant(0), new Instant(60_001))),
      StateNamespaces.windowAndTrigger(IntervalWindow.getCoder(), window(0), 0),
      StateNamespaces.windowAndTrigger(IntervalWindow.getCoder(), window(0), 1),
      StateNamespaces.windowAndTrigger(IntervalWindow.getCoder(), window(1), 1),
      StateNamespaces.global(),
    };
    Set<String> distinct = new HashSet<>();
    for (StateNamespace namespace : namespaces) {
      byte[] key = keys.keyOf(namespace);
      assertThat(key, equalTo(stringKeyBytes(namespace)));
      distinct.add(new String(key, StandardCharsets.UTF_8));
    }
    assertThat(distinct.size(), equalTo(namespaces.length));
  }

  @Test
  void theSameWindowUnderAnotherCoderHasItsOwnEntry() {
    NamespaceKeys keys = new NamespaceKeys();
    StateNamespace standard = windowNamespace(0);
    StateNamespace other = StateNamespaces.window(new StartEndCoder(true), window(0));
    byte[] standardKey = keys.keyOf(standard);
    byte[] otherKey = keys.keyOf(other);
    assertThat(otherKey, equalTo(stringKeyBytes(other)));
    assertThat(otherKey, not(equalTo(standardKey)));
    assertThat(keys.size(), equalTo(2));
  }

  @Test
  void windowsOfACoderNotConsistentWithEqualsAreEncodedOnEveryCall() {
    NamespaceKeys keys = new NamespaceKeys();
    StateNamespace namespace = StateNamespaces.window(new StartEndCoder(false), window(0));
    byte[] first = keys.keyOf(namespace);
    assertThat(first, equalTo(stringKeyBytes(namespace)));
    assertThat(keys.keyOf(namespace), not(sameInstance(first)));
    assertThat(keys.size(), equalTo(0));
  }

  @Test
  void beyondItsCapacityTheLeastRecentlyUsedNamespaceIsForgottenAndEncodedAgain() {
    NamespaceKeys keys = new NamespaceKeys(2);
    byte[] a = keys.keyOf(windowNamespace(0));
    byte[] b = keys.keyOf(windowNamespace(6_000));
    assertThat(keys.keyOf(windowNamespace(0)), sameInstance(a)); // a is now the most recent
    byte[] c = keys.keyOf(windowNamespace(12_000));
    assertThat(keys.size(), equalTo(2));
    assertThat("a was used after b, so b went", keys.keyOf(windowNamespace(0)), sameInstance(a));
    assertThat(keys.keyOf(windowNamespace(12_000)), sameInstance(c));
    byte[] bAgain = keys.keyOf(windowNamespace(6_000));
    assertThat(bAgain, not(sameInstance(b)));
    assertThat("re-encoded to the same bytes", bAgain, equalTo(b));
    assertThat(keys.size(), equalTo(2));
  }

  /**
   * Encodes an interval window as start and end millis (the standard coder writes end and
   * duration), so the same window has other bytes; says it is consistent with equals as told.
   */
  private static final class StartEndCoder extends CustomCoder<IntervalWindow> {
    private final boolean consistentWithEquals;

    StartEndCoder(boolean consistentWithEquals) {
      this.consistentWithEquals = consistentWithEquals;
    }

    @Override
    public void encode(IntervalWindow window, OutputStream out) throws IOException {
      DataOutputStream data = new DataOutputStream(out);
      data.writeLong(window.start().getMillis());
      data.writeLong(window.end().getMillis());
      data.flush();
    }

    @Override
    public IntervalWindow decode(InputStream in) throws IOException {
      DataInputStream data = new DataInputStream(in);
      long start = data.readLong();
      return new IntervalWindow(new Instant(start), new Instant(data.readLong()));
    }

    @Override
    public boolean consistentWithEquals() {
      return consistentWithEquals;
    }
  }
}
