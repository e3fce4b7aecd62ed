package io.microbatch.state.rocksdb;

import io.microbatch.state.ByteKey;
import io.microbatch.state.KeyedTimer;
import io.microbatch.state.TimerStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
 *
 * <p>Setting a timer to the record it already holds (same domain, timestamps, drain flag and
 * namespace) writes nothing: runners-core re-sets a stateful DoFn's garbage-collection timer, and
 * typical user code its end-of-window timer, for every element, and writing each such set would
 * cost three deletes and three puts, all kept in the write batch until commit. To make the check
 * itself cheap, the records this batch has read or written are remembered by identity ({@link
 * #current}); every change still goes to the store's write batch at once, so scans of the indexes
 * ({@link #pollDue}, {@link #nextTimestamp}) see exactly what they saw before.
 */
final class RocksDbTimerStore implements TimerStore {
  private final RocksDbStore store;
  private final NamespaceCodec namespaces = new NamespaceCodec();
  private final NamespaceKeys namespaceKeys;
  private final Map<TimeDomain, IndexHead> dueHeads = new EnumMap<>(TimeDomain.class);
  private final IndexHead outputHead = new IndexHead(null);
  private final Map<TimeDomain, DueReadAhead> dueAhead = new EnumMap<>(TimeDomain.class);

  /**
   * Marks an identity known to have no timer in the batch's view; compared by reference, never
   * stored.
   */
  private static final byte[] ABSENT = new byte[0];

  /**
   * Bound on {@link #current}: a batch touching more timers than this starts remembering afresh.
   * Forgetting is always safe (the store holds the truth; only a lookup is repeated) and keeps a
   * huge batch, e.g. a bounded input in one batch, from holding every timer on the heap twice.
   */
  static final int REMEMBERED_TIMERS = 100_000;

  /**
   * The encoded record of every timer identity this batch has looked up or changed, as the store
   * (write batch over database) holds it now, or {@link #ABSENT}. Write-through: every change of
   * {@link Column#TIMERS} in this class updates it in the same call. Emptied at commit, so it only
   * ever holds what one batch touched, and at abort, whose dropped writes it would otherwise still
   * describe. Every entry present equals the store's view; entries may be missing.
   */
  private final Map<ByteKey, byte[]> current = new HashMap<>();

  private final int rememberedTimers;

  /** {@code namespaceKeys}: the partition's, shared with its state. */
  RocksDbTimerStore(RocksDbStore store, NamespaceKeys namespaceKeys) {
    this(store, namespaceKeys, REMEMBERED_TIMERS);
  }

  /** {@code rememberedTimers}: the bound on {@link #current}, small in tests. */
  RocksDbTimerStore(RocksDbStore store, int rememberedTimers) {
    this(store, new NamespaceKeys(), rememberedTimers);
  }

  /** Both bounds chosen by the caller, small in tests. */
  RocksDbTimerStore(RocksDbStore store, NamespaceKeys namespaceKeys, int rememberedTimers) {
    this.store = store;
    this.namespaceKeys = namespaceKeys;
    this.rememberedTimers = rememberedTimers;
    for (TimeDomain domain : TimeDomain.values()) {
      dueHeads.put(domain, new IndexHead(new byte[] {TimerRecord.domainCode(domain)}));
      dueAhead.put(domain, new DueReadAhead());
    }
  }

  /** The batch was committed: what it touched needs no remembering any more. */
  void commit() {
    current.clear();
    dueAhead.values().forEach(DueReadAhead::clear);
  }

  /**
   * Forgets what the index heads learnt (an aborted batch's deletes are undone) and the records
   * the batch saw (its writes are undone).
   */
  void abort() {
    dueHeads.values().forEach(IndexHead::reset);
    outputHead.reset();
    current.clear();
    dueAhead.values().forEach(DueReadAhead::clear);
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
    byte[] id = KeyLayout.timerId(key.bytes(), namespaceKeys.keyOf(timer.getNamespace()),
        timer.getTimerId(), timer.getTimerFamilyId());
    ByteKey identity = ByteKey.of(id);
    TimerRecord record = new TimerRecord(timer.getDomain(), timer.getTimestamp(),
        timer.getOutputTimestamp(), timer.causedByDrain(),
        namespaces.register(timer.getNamespace()));
    byte[] encoded = record.encode();
    byte[] existing = lookup(identity);
    if (Arrays.equals(existing, encoded)) {
      // Already pending exactly so: its index entries are live, so the index heads are at or
      // below them and need no update either.
      return;
    }
    if (existing != ABSENT) {
      remove(identity, TimerRecord.decode(existing));
    }
    byte[] dueKey = dueKey(record.domain(), record.timestamp(), id);
    byte[] outputKey = outputKey(record.outputTimestamp(), id);
    store.put(Column.TIMERS, id, encoded);
    store.put(Column.TIMER_INDEX, dueKey, encoded);
    dueAhead.get(record.domain()).inserted(dueKey, encoded);
    store.put(Column.TIMER_OUTPUT_INDEX, outputKey, RocksCell.EMPTY);
    remember(identity, encoded);
    dueHeads.get(record.domain()).inserted(dueKey);
    outputHead.inserted(outputKey);
  }

  @Override
  public void delete(ByteKey key, StateNamespace namespace, String timerId, String familyId) {
    ByteKey identity = ByteKey.of(
        KeyLayout.timerId(key.bytes(), namespaceKeys.keyOf(namespace), timerId, familyId));
    byte[] existing = lookup(identity);
    if (existing != ABSENT) {
      remove(identity, TimerRecord.decode(existing));
    }
  }

  /** The record the batch sees for this identity, or {@link #ABSENT}; remembered for the batch. */
  private byte[] lookup(ByteKey identity) {
    byte[] known = current.get(identity);
    if (known == null) {
      byte[] stored = store.get(Column.TIMERS, identity.bytes());
      known = stored == null ? ABSENT : stored;
      remember(identity, known);
    }
    return known;
  }

  @Override
  public void deleteNamespace(ByteKey key, StateNamespace namespace) {
    // Timer identities start with key | namespace, length-prefixed: one prefix holds them all.
    byte[] prefix = KeyLayout.withLengthPrefixed(
        KeyLayout.withLengthPrefixed(new byte[0], key.bytes()),
        namespaceKeys.keyOf(namespace));
    List<byte[][]> timers = new ArrayList<>();
    store.scanPrefix(Column.TIMERS, prefix,
        (id, record) -> timers.add(new byte[][] {id, record}));
    for (byte[][] timer : timers) {
      remove(ByteKey.of(timer[0]), TimerRecord.decode(timer[1]));
    }
  }

  /** Deletes a pending timer, whose stored record is {@code record}, and its index entries. */
  private void remove(ByteKey identity, TimerRecord record) {
    byte[] id = identity.bytes();
    store.delete(Column.TIMERS, id);
    byte[] dueKey = dueKey(record.domain(), record.timestamp(), id);
    store.delete(Column.TIMER_INDEX, dueKey);
    dueAhead.get(record.domain()).deleted(dueKey);
    store.delete(Column.TIMER_OUTPUT_INDEX, outputKey(record.outputTimestamp(), id));
    remember(identity, ABSENT);
  }

  private void remember(ByteKey identity, byte[] record) {
    if (current.size() >= rememberedTimers && !current.containsKey(identity)) {
      current.clear();
    }
    current.put(identity, record);
  }

  @Override
  public KeyedTimer pollDue(TimeDomain domain, Instant limit) {
    IndexHead head = dueHeads.get(domain);
    byte[] until = KeyLayout.concat(
        new byte[] {TimerRecord.domainCode(domain)}, KeyLayout.sortableTimestamp(limit));
    Map.Entry<byte[], byte[]> first = firstDue(domain, head, until);
    if (first == null) {
      return null;
    }
    byte[] dueKey = first.getKey();
    head.foundFirst(dueKey);
    byte[] id = Arrays.copyOfRange(dueKey, 1 + KeyLayout.TIMESTAMP_BYTES, dueKey.length);
    TimerRecord record = TimerRecord.decode(first.getValue());
    remove(ByteKey.of(id), record);
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

  /**
   * The first entry of the domain's due index below {@code until}, from the read-ahead when it
   * covers the answer, else from a new scan that refills it.
   */
  private Map.Entry<byte[], byte[]> firstDue(TimeDomain domain, IndexHead head, byte[] until) {
    DueReadAhead ahead = dueAhead.get(domain);
    if (ahead.isFilled()) {
      Map.Entry<byte[], byte[]> first = ahead.first();
      if (first != null) {
        // The smallest index key of all (the read-ahead is exact below its bound, which is above it).
        return Arrays.compareUnsigned(first.getKey(), until) < 0 ? first : null;
      }
      if (Arrays.compareUnsigned(until, ahead.exactBelow()) <= 0) {
        return null;
      }
    }
    TreeMap<byte[], byte[]> scanned = new TreeMap<>(Arrays::compareUnsigned);
    store.scan(Column.TIMER_INDEX, head.seekFrom(), until, (key, value) -> {
      scanned.put(key, value);
      return scanned.size() < DueReadAhead.ENTRIES;
    });
    ahead.fill(scanned, until);
    return ahead.first();
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
