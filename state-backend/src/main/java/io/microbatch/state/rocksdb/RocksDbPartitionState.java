package io.microbatch.state.rocksdb;

import io.microbatch.state.ByteKey;
import io.microbatch.state.PartitionState;
import io.microbatch.state.TimerStore;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.apache.beam.runners.core.StateInternals;
import org.joda.time.Instant;

/**
 * The state and timers of one stage partition in its own RocksDB database. Every write of a batch
 * goes to the store's write batch (read back by later reads of the batch) and reaches the database
 * in one atomic write at {@link #commit()}.
 */
public final class RocksDbPartitionState implements PartitionState {
  private final RocksDbStore store;
  private final SequenceCounter sequence;
  private final RocksDbTimerStore timers;
  private final IndexHead holdHead = new IndexHead(null);
  /** Shared by the state and the timers of the partition: both key by the same namespaces. */
  private final NamespaceKeys namespaceKeys = new NamespaceKeys();
  private final Consumer<RocksDbPartitionState> onClose;
  private long committedSequence;
  private boolean closed;

  RocksDbPartitionState(RocksDbStore store, Consumer<RocksDbPartitionState> onClose) {
    this.store = store;
    byte[] stored = store.get(Column.META, SequenceCounter.META_KEY);
    this.committedSequence = stored == null ? 0 : KeyLayout.readBigEndian(stored, 0);
    this.sequence = new SequenceCounter(committedSequence);
    this.timers = new RocksDbTimerStore(store, namespaceKeys);
    this.onClose = onClose;
  }

  /** The directory of this partition's database. */
  public Path directory() {
    return store.directory();
  }

  @Override
  public StateInternals stateFor(ByteKey key, Object userKey) {
    checkOpen();
    return new RocksDbStateInternals(
        store, sequence, holdHead, namespaceKeys, key.bytes(), userKey);
  }

  @Override
  public TimerStore timers() {
    checkOpen();
    return timers;
  }

  @Override
  public Instant earliestHold() {
    checkOpen();
    byte[] first = store.firstKey(Column.HOLD_INDEX, holdHead.seekFrom(), null);
    if (first == null) {
      return null;
    }
    holdHead.foundFirst(first);
    return new Instant(KeyLayout.readSortableLong(first, 0));
  }

  @Override
  public boolean isEmpty() {
    checkOpen();
    return !store.hasAny(Column.STATE, null, null) && timers.isEmpty();
  }

  @Override
  public void commit() {
    checkOpen();
    if (sequence.peek() != committedSequence) {
      store.put(Column.META, SequenceCounter.META_KEY, KeyLayout.bigEndian(sequence.peek()));
    }
    store.commit();
    timers.commit();
    committedSequence = sequence.peek();
  }

  @Override
  public void abort() {
    checkOpen();
    store.abort();
    holdHead.reset();
    timers.abort();
  }

  /**
   * Writes the committed state into {@code dir} (which must not exist; its parent is created) as
   * a RocksDB checkpoint: memtables flushed, SST files hard-linked, so taking it is cheap and the
   * copy does not change when later batches compact.
   */
  @Override
  public void snapshot(Path dir) {
    checkOpen();
    try {
      java.nio.file.Files.createDirectories(dir.toAbsolutePath().getParent());
    } catch (java.io.IOException e) {
      throw new IllegalStateException("Cannot create the parent of snapshot directory " + dir, e);
    }
    store.checkpoint(dir);
  }

  /** Live SST files plus memtables of every column family, from RocksDB's own estimates. */
  @Override
  public long approximateSizeBytes() {
    checkOpen();
    return store.approximateSizeBytes();
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("Partition state in " + store.directory() + " is closed");
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      store.close();
    } finally {
      onClose.accept(this);
    }
  }
}
