package io.microbatch.state.memory;

import io.microbatch.state.ByteKey;
import io.microbatch.state.KeyedTimer;
import io.microbatch.state.TimerStore;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;
import org.apache.beam.runners.core.StateNamespace;
import org.apache.beam.runners.core.TimerInternals.TimerData;
import org.apache.beam.sdk.state.TimeDomain;
import org.joda.time.Instant;

/** Timers of one partition: a map by identity plus one time-ordered set per domain. */
final class MemoryTimerStore implements TimerStore {
  private static final Comparator<KeyedTimer> ORDER =
      Comparator.<KeyedTimer, TimerData>comparing(KeyedTimer::timer)
          .thenComparing(KeyedTimer::key);

  private record TimerId(ByteKey key, String namespace, String timerId, String familyId) {}

  private final Map<TimerId, KeyedTimer> byId = new HashMap<>();
  private final Map<TimeDomain, NavigableSet<KeyedTimer>> byTime = new EnumMap<>(TimeDomain.class);
  private final NavigableSet<KeyedTimer> byOutputTime =
      new TreeSet<>(
          Comparator.<KeyedTimer, Instant>comparing(t -> t.timer().getOutputTimestamp())
              .thenComparing(ORDER));

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
    KeyedTimer previous =
        byId.put(
            idOf(key, timer.getNamespace(), timer.getTimerId(), timer.getTimerFamilyId()), keyed);
    if (previous != null) {
      unindex(previous);
    }
    byTime.get(timer.getDomain()).add(keyed);
    byOutputTime.add(keyed);
  }

  @Override
  public void delete(ByteKey key, StateNamespace namespace, String timerId, String familyId) {
    KeyedTimer previous = byId.remove(idOf(key, namespace, timerId, familyId));
    if (previous != null) {
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
    byId.remove(idOf(due.key(), data.getNamespace(), data.getTimerId(), data.getTimerFamilyId()));
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
}
