package io.microbatch.state.memory;

import io.microbatch.state.ByteKey;
import io.microbatch.state.KeyedTimer;
import io.microbatch.state.TimerStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeSet;
import org.apache.beam.runners.core.StateNamespace;
import org.apache.beam.runners.core.TimerInternals.TimerData;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.joda.time.Instant;

/**
 * Timers of one partition: a map by identity, an index by (key, namespace), and one time-ordered
 * set per domain. Every change of a batch is journaled (the timer it replaced or removed) so that
 * {@link #abort()} can undo it.
 */
final class MemoryTimerStore implements TimerStore {
  private static final Comparator<KeyedTimer> ORDER =
      Comparator.<KeyedTimer, TimerData>comparing(KeyedTimer::timer)
          .thenComparing(KeyedTimer::key);

  private record TimerId(ByteKey key, String namespace, String timerId, String familyId) {}

  private record KeyNamespace(ByteKey key, String namespace) {}

  /** What an identity held before a change of this batch ({@code null}: no timer). */
  private record Undo(TimerId id, KeyedTimer previous) {}

  private final Map<TimerId, KeyedTimer> byId = new HashMap<>();
  private final Map<KeyNamespace, Set<TimerId>> byNamespace = new HashMap<>();
  private final Map<TimeDomain, NavigableSet<KeyedTimer>> byTime = new EnumMap<>(TimeDomain.class);
  private final NavigableSet<KeyedTimer> byOutputTime =
      new TreeSet<>(
          Comparator.<KeyedTimer, Instant>comparing(t -> t.timer().getOutputTimestamp())
              .thenComparing(ORDER));
  private final List<Undo> journal = new ArrayList<>();

  MemoryTimerStore() {
    for (TimeDomain domain : TimeDomain.values()) {
      byTime.put(domain, new TreeSet<>(ORDER));
    }
  }

  private static TimerId idOf(ByteKey key, StateNamespace ns, String timerId, String familyId) {
    return new TimerId(key, ns.stringKey(), timerId, familyId);
  }

  @Override
  public void registerWindowCoder(Coder<? extends BoundedWindow> windowCoder) {
    // Nothing to do: timers keep their namespace objects, and this backend never restores any.
  }

  @Override
  public void set(ByteKey key, TimerData timer) {
    TimerId id = idOf(key, timer.getNamespace(), timer.getTimerId(), timer.getTimerFamilyId());
    KeyedTimer pending = byId.get(id);
    if (pending != null && pending.timer().equals(timer)) {
      // Re-setting a timer to what it already is (runners-core does so for the garbage-collection
      // timer on every element) would only journal a no-op and re-sort it into the same places.
      return;
    }
    KeyedTimer keyed = new KeyedTimer(key, timer);
    journal.add(new Undo(id, remove(id)));
    add(id, keyed);
  }

  @Override
  public void deleteNamespace(ByteKey key, StateNamespace namespace) {
    Set<TimerId> ids = byNamespace.get(new KeyNamespace(key, namespace.stringKey()));
    if (ids != null) {
      for (TimerId id : List.copyOf(ids)) {
        journal.add(new Undo(id, remove(id)));
      }
    }
  }

  @Override
  public void delete(ByteKey key, StateNamespace namespace, String timerId, String familyId) {
    TimerId id = idOf(key, namespace, timerId, familyId);
    KeyedTimer previous = remove(id);
    if (previous != null) {
      journal.add(new Undo(id, previous));
    }
  }

  private void add(TimerId id, KeyedTimer timer) {
    byId.put(id, timer);
    byTime.get(timer.timer().getDomain()).add(timer);
    byOutputTime.add(timer);
    byNamespace
        .computeIfAbsent(new KeyNamespace(id.key(), id.namespace()), k -> new HashSet<>())
        .add(id);
  }

  /** Removes the timer with this identity from every index; returns it, or null. */
  private KeyedTimer remove(TimerId id) {
    KeyedTimer previous = byId.remove(id);
    if (previous != null) {
      byTime.get(previous.timer().getDomain()).remove(previous);
      byOutputTime.remove(previous);
      KeyNamespace keyNamespace = new KeyNamespace(id.key(), id.namespace());
      Set<TimerId> ids = byNamespace.get(keyNamespace);
      if (ids != null && ids.remove(id) && ids.isEmpty()) {
        byNamespace.remove(keyNamespace);
      }
    }
    return previous;
  }

  @Override
  public KeyedTimer pollDue(TimeDomain domain, Instant limit) {
    NavigableSet<KeyedTimer> timers = byTime.get(domain);
    if (timers.isEmpty() || !timers.first().timer().getTimestamp().isBefore(limit)) {
      return null;
    }
    KeyedTimer due = timers.first();
    TimerData data = due.timer();
    TimerId id = idOf(due.key(), data.getNamespace(), data.getTimerId(), data.getTimerFamilyId());
    journal.add(new Undo(id, remove(id)));
    return due;
  }

  @Override
  public Instant earliestOutputTimestamp() {
    return byOutputTime.isEmpty() ? null : byOutputTime.first().timer().getOutputTimestamp();
  }

  @Override
  public Instant nextTimestamp(TimeDomain domain) {
    NavigableSet<KeyedTimer> timers = byTime.get(domain);
    return timers.isEmpty() ? null : timers.first().timer().getTimestamp();
  }

  @Override
  public boolean isEmpty() {
    return byId.isEmpty();
  }

  /** Forgets the journal: this batch's changes are the committed timers. */
  void commit() {
    journal.clear();
  }

  /** Undoes this batch's changes, newest first. */
  void abort() {
    for (int i = journal.size() - 1; i >= 0; i--) {
      Undo undo = journal.get(i);
      remove(undo.id());
      if (undo.previous() != null) {
        add(undo.id(), undo.previous());
      }
    }
    journal.clear();
  }
}
