package io.microbatch.state.memory;

import io.microbatch.state.ByteKey;
import io.microbatch.state.KeyedTimer;
import io.microbatch.state.TimerStore;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
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

  private record KeyNamespace(ByteKey key, String namespace) {}

  private final Map<TimerId, KeyedTimer> byId = new HashMap<>();
  private final Map<KeyNamespace, Set<TimerId>> byNamespace = new HashMap<>();
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
    TimerId id = idOf(key, timer.getNamespace(), timer.getTimerId(), timer.getTimerFamilyId());
    KeyedTimer previous = byId.put(id, keyed);
    if (previous != null) {
      unindex(previous);
    }
    byTime.get(timer.getDomain()).add(keyed);
    byOutputTime.add(keyed);
    byNamespace.computeIfAbsent(new KeyNamespace(key, id.namespace()), k -> new HashSet<>()).add(id);
  }

  @Override
  public void deleteNamespace(ByteKey key, StateNamespace namespace) {
    Set<TimerId> ids = byNamespace.remove(new KeyNamespace(key, namespace.stringKey()));
    if (ids != null) {
      for (TimerId id : ids) {
        KeyedTimer previous = byId.remove(id);
        if (previous != null) {
          byTime.get(previous.timer().getDomain()).remove(previous);
          byOutputTime.remove(previous);
        }
      }
    }
  }

  @Override
  public void delete(ByteKey key, StateNamespace namespace, String timerId, String familyId) {
    TimerId id = idOf(key, namespace, timerId, familyId);
    KeyedTimer previous = byId.remove(id);
    if (previous != null) {
      unindex(previous);
      forgetNamespace(id);
    }
  }

  private void unindex(KeyedTimer timer) {
    byTime.get(timer.timer().getDomain()).remove(timer);
    byOutputTime.remove(timer);
  }

  private void forgetNamespace(TimerId id) {
    KeyNamespace keyNamespace = new KeyNamespace(id.key(), id.namespace());
    Set<TimerId> ids = byNamespace.get(keyNamespace);
    if (ids != null && ids.remove(id) && ids.isEmpty()) {
      byNamespace.remove(keyNamespace);
    }
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
    byOutputTime.remove(due);
    forgetNamespace(id);
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
