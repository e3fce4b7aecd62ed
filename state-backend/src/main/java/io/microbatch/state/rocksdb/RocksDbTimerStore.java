package io.microbatch.state.rocksdb;

import io.microbatch.state.ByteKey;
import io.microbatch.state.KeyedTimer;
import io.microbatch.state.TimerStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.runners.core.StateNamespace;
import org.apache.beam.runners.core.TimerInternals.TimerData;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.joda.time.Instant;

/**
 * Timers of a partition in three column families: by identity (replace and delete are point
 * operations), by (domain, timestamp) for {@link #pollDue}, and by output timestamp for the
 * watermark hold. Finding the next due timer reads the first key of an index, never the timers, and
 * starts at the index's remembered head ({@link IndexHead}) rather than at its tombstones.
 */
final class RocksDbTimerStore implements TimerStore {
  private final RocksDbStore store;
  private final NamespaceCodec namespaces = new NamespaceCodec();
  private final Map<TimeDomain, IndexHead> dueHeads = new EnumMap<>(TimeDomain.class);
  private final IndexHead outputHead = new IndexHead(null);

  RocksDbTimerStore(RocksDbStore store) {
    this.store = store;
    for (TimeDomain domain : TimeDomain.values()) {
      dueHeads.put(domain, new IndexHead(new byte[] {TimerRecord.domainCode(domain)}));
    }
  }

  /** Forgets what the index heads learnt: an aborted batch's deletes are undone. */
  void abort() {
    dueHeads.values().forEach(IndexHead::reset);
    outputHead.reset();
  }

  private static byte[] dueKey(TimeDomain domain, Instant timestamp, byte[] id) {
    return KeyLayout.concat(
        new byte[] {TimerRecord.domainCode(domain)}, KeyLayout.sortableTimestamp(timestamp), id);
  }

  private static byte[] outputKey(Instant outputTimestamp, byte[] id) {
    return KeyLayout.concat(KeyLayout.sortableTimestamp(outputTimestamp), id);
  }

  @Override
  public void registerWindowCoder(Coder<? extends BoundedWindow> windowCoder) {
    namespaces.registerWindowCoder(windowCoder);
  }

  @Override
  public void set(ByteKey key, TimerData timer) {
    byte[] id = KeyLayout.timerId(key.bytes(), timer.getNamespace().stringKey(),
        timer.getTimerId(), timer.getTimerFamilyId());
    removeIfPresent(id);
    TimerRecord record = new TimerRecord(timer.getDomain(), timer.getTimestamp(),
        timer.getOutputTimestamp(), timer.causedByDrain(),
        namespaces.register(timer.getNamespace()));
    byte[] encoded = record.encode();
    byte[] dueKey = dueKey(record.domain(), record.timestamp(), id);
    byte[] outputKey = outputKey(record.outputTimestamp(), id);
    store.put(Column.TIMERS, id, encoded);
    store.put(Column.TIMER_INDEX, dueKey, encoded);
    store.put(Column.TIMER_OUTPUT_INDEX, outputKey, RocksCell.EMPTY);
    dueHeads.get(record.domain()).inserted(dueKey);
    outputHead.inserted(outputKey);
  }

  @Override
  public void delete(ByteKey key, StateNamespace namespace, String timerId, String familyId) {
    removeIfPresent(KeyLayout.timerId(key.bytes(), namespace.stringKey(), timerId, familyId));
  }

  @Override
  public void deleteNamespace(ByteKey key, StateNamespace namespace) {
    // Timer identities start with key | namespace, length-prefixed: one prefix holds them all.
    byte[] prefix = KeyLayout.withLengthPrefixed(
        KeyLayout.withLengthPrefixed(new byte[0], key.bytes()),
        namespace.stringKey().getBytes(StandardCharsets.UTF_8));
    List<byte[][]> timers = new ArrayList<>();
    store.scanPrefix(Column.TIMERS, prefix,
        (id, record) -> timers.add(new byte[][] {id, record}));
    for (byte[][] timer : timers) {
      remove(timer[0], TimerRecord.decode(timer[1]));
    }
  }

  private void removeIfPresent(byte[] id) {
    byte[] existing = store.get(Column.TIMERS, id);
    if (existing != null) {
      remove(id, TimerRecord.decode(existing));
    }
  }

  private void remove(byte[] id, TimerRecord record) {
    store.delete(Column.TIMERS, id);
    store.delete(Column.TIMER_INDEX, dueKey(record.domain(), record.timestamp(), id));
    store.delete(Column.TIMER_OUTPUT_INDEX, outputKey(record.outputTimestamp(), id));
  }

  @Override
  public KeyedTimer pollDue(TimeDomain domain, Instant limit) {
    IndexHead head = dueHeads.get(domain);
    byte[] until = KeyLayout.concat(
        new byte[] {TimerRecord.domainCode(domain)}, KeyLayout.sortableTimestamp(limit));
    byte[][] first = {null, null};
    store.scan(Column.TIMER_INDEX, head.seekFrom(), until, (key, value) -> {
      first[0] = key;
      first[1] = value;
      return false;
    });
    if (first[0] == null) {
      return null;
    }
    head.foundFirst(first[0]);
    byte[] id = java.util.Arrays.copyOfRange(first[0], 1 + KeyLayout.TIMESTAMP_BYTES,
        first[0].length);
    TimerRecord record = TimerRecord.decode(first[1]);
    remove(id, record);
    byte[][] parts = KeyLayout.parseComponents(id, 0, 4);
    String namespaceKey = new String(parts[1], StandardCharsets.UTF_8);
    TimerData timer = TimerData.of(
        new String(parts[2], StandardCharsets.UTF_8),
        new String(parts[3], StandardCharsets.UTF_8),
        namespaces.decode(namespaceKey, record.namespaceCode()),
        record.timestamp(),
        record.outputTimestamp(),
        record.domain(),
        record.causedByDrain());
    return new KeyedTimer(ByteKey.of(parts[0]), timer);
  }

  @Override
  public Instant earliestOutputTimestamp() {
    byte[] first = store.firstKey(Column.TIMER_OUTPUT_INDEX, outputHead.seekFrom(), null);
    if (first == null) {
      return null;
    }
    outputHead.foundFirst(first);
    return new Instant(KeyLayout.readSortableLong(first, 0));
  }

  @Override
  public Instant nextTimestamp(TimeDomain domain) {
    byte[] from = {TimerRecord.domainCode(domain)};
    IndexHead head = dueHeads.get(domain);
    byte[] first = store.firstKey(Column.TIMER_INDEX, head.seekFrom(), KeyLayout.prefixEnd(from));
    if (first == null) {
      return null;
    }
    head.foundFirst(first);
    return new Instant(KeyLayout.readSortableLong(first, 1));
  }

  @Override
  public boolean isEmpty() {
    return !store.hasAny(Column.TIMERS, null, null);
  }
}
