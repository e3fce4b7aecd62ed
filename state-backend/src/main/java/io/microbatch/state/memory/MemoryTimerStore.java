package io.microbatch.state.memory;

import io.microbatch.state.ByteKey;
import io.microbatch.state.KeyedTimer;
import io.microbatch.state.TimerStore;
import java.util.Comparator;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;
import org.apache.beam.runners.core.StateNamespace;
import org.apache.beam.runners.core.TimerInternals.TimerData;
import org.apache.beam.sdk.state.TimeDomain;
import org.joda.time.Instant;

/**
 * Timers of one partition: a map by identity plus one time-ordered set per domain. Every change of
 * a batch is journaled (the timer it replaced or removed) so that {@link #abort()} can undo it.
 */
final class MemoryTimerStore implements TimerStore {
  private static final Comparator<KeyedTimer> ORDER =
      Comparator.<KeyedTimer, TimerData>comparing(KeyedTimer::timer)
          .thenComparing(KeyedTimer::key);

  private record TimerId(ByteKey key, String namespace, String timerId, String familyId) {}

  /** What an identity held before a change of this batch ({@code null}: no timer). */
  private record Undo(TimerId id, KeyedTimer previous) {}

  private final Map<TimerId, KeyedTimer> byId = new HashMap<>();
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
  public void set(ByteKey key, TimerData timer) {
    KeyedTimer keyed = new KeyedTimer(key, timer);
    TimerId id = idOf(key, timer.getNamespace(), timer.getTimerId(), timer.getTimerFamilyId());
    KeyedTimer previous = byId.put(id, keyed);
    journal.add(new Undo(id, previous));
    if (previous != null) {
      unindex(previous);
    }
    index(keyed);
  }

  private void index(KeyedTimer timer) {
    byTime.get(timer.timer().getDomain()).add(timer);
    byOutputTime.add(timer);
  }

  @Override
  public void delete(ByteKey key, StateNamespace namespace, String timerId, String familyId) {
    TimerId id = idOf(key, namespace, timerId, familyId);
    KeyedTimer previous = byId.remove(id);
    if (previous != null) {
      journal.add(new Undo(id, previous));
      unindex(previous);
    }
  }

  private void unindex(KeyedTimer timer) {
    byTime.get(timer.timer().getDomain()).remove(timer);
    byOutputTime.remove(timer);
  }

  @Override
  public KeyedTimer pollDue(TimeDomain domain, Instant limit) {
    NavigableSet<KeyedTimer> timers = byTime.get(domain);
    if (timers.isEmpty() || !timers.first().timer().getTimestamp().isBefore(limit)) {
      return null;
    }
    KeyedTimer due = timers.pollFirst();
    TimerData data = due.timer();
    TimerId id = idOf(due.key(), data.getNamespace(), data.getTimerId(), data.getTimerFamilyId());
    byId.remove(id);
    journal.add(new Undo(id, due));
    byOutputTime.remove(due);
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
      KeyedTimer current = byId.remove(undo.id());
      if (current != null) {
        unindex(current);
      }
      if (undo.previous() != null) {
        byId.put(undo.id(), undo.previous());
        index(undo.previous());
      }
    }
    journal.clear();
  }
}
