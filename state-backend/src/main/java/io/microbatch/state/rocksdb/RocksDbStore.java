package io.microbatch.state.rocksdb;

import io.microbatch.state.StateDirectoryException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.Checkpoint;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompactionStyle;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.Range;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.RocksObject;
import org.rocksdb.SizeApproximationFlag;
import org.rocksdb.Slice;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteBatchWithIndex;
import org.rocksdb.WriteOptions;

/**
 * Bytes in, bytes out: one RocksDB database (one partition) with the uncommitted writes of the
 * current batch on the heap ({@link PendingWrites}), moved into a {@link WriteBatchWithIndex} when
 * they outgrow their budget. Reads see the pending writes over the write batch over the database;
 * {@link #commit()} writes them atomically, {@link #abort()} drops them. Owns every native object
 * it creates and closes them, in reverse order of dependency, in {@link #close()}.
 */
final class RocksDbStore implements AutoCloseable {
  static {
    RocksDB.loadLibrary();
  }

  /** Receives entries of a scan in key order; returns false to stop. */
  interface EntryVisitor {
    boolean visit(byte[] key, byte[] value);
  }

  private final Path directory;
  private final List<RocksObject> options = new ArrayList<>();
  private final Map<Column, ColumnFamilyHandle> handles = new EnumMap<>(Column.class);
  private final RocksDB db;
  // The batch's newest writes; older ones of a large batch spill into `batch` (see put).
  private final PendingWrites pending = new PendingWrites();
  private final long pendingWriteBytes;
  private final WriteBatchWithIndex batch;
  // Whether `batch` holds writes; asking it is a native call.
  private boolean spilled;
  // Commits of batches that never spilled: no index needed.
  private final WriteBatch commitBatch;
  private final ReadOptions readOptions;
  private final WriteOptions writeOptions;
  private boolean closed;

  private RocksDbStore(Path directory, SharedRocksResources shared, RocksDbConfig config) {
    this.directory = directory;
    DBOptions dbOptions = new DBOptions();
    options.add(dbOptions);
    dbOptions
        .setCreateIfMissing(true)
        .setCreateMissingColumnFamilies(true)
        .setWriteBufferManager(shared.writeBufferManager)
        .setMaxBackgroundJobs(config.maxBackgroundJobs())
        .setInfoLogLevel(InfoLogLevel.WARN_LEVEL)
        .setKeepLogFileNum(2)
        .setStatsDumpPeriodSec(0)
        // The working copy is discarded on close (durability comes from checkpoints), so
        // flushing memtables on shutdown would only slow closing down.
        .setAvoidFlushDuringShutdown(true)
        // A snapshot flushes every column family with unflushed writes: atomically that is one
        // flush job and one MANIFEST commit per database instead of one per column family,
        // which cut the time of a small snapshot by about a third.
        .setAtomicFlush(true);
    config.customizer().customizeDbOptions(dbOptions);

    List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
    for (Column column : Column.values()) {
      descriptors.add(
          new ColumnFamilyDescriptor(column.nameBytes(), columnOptions(column, shared, config)));
    }
    List<ColumnFamilyHandle> opened = new ArrayList<>();
    RocksDB database;
    try {
      database = RocksDB.open(dbOptions, directory.toString(), descriptors, opened);
    } catch (RocksDBException e) {
      closeOptions();
      throw openFailure(directory, e);
    }
    this.db = database;
    for (int i = 0; i < Column.values().length; i++) {
      handles.put(Column.values()[i], opened.get(i));
    }
    this.batch = new WriteBatchWithIndex(true);
    this.commitBatch = new WriteBatch();
    this.pendingWriteBytes = config.pendingWriteBytes();
    this.readOptions = new ReadOptions();
    // No write-ahead log: a partition's directory is a working copy that is discarded on close;
    // durable state is what a checkpoint of committed batches holds.
    this.writeOptions = new WriteOptions().setDisableWAL(true);
  }

  private ColumnFamilyOptions columnOptions(
      Column column, SharedRocksResources shared, RocksDbConfig config) {
    ColumnFamilyOptions cf = new ColumnFamilyOptions();
    options.add(cf);
    BlockBasedTableConfig table =
        new BlockBasedTableConfig()
            .setBlockCache(shared.blockCache)
            .setBlockSize(config.blockSizeBytes())
            .setCacheIndexAndFilterBlocks(true)
            .setCacheIndexAndFilterBlocksWithHighPriority(true)
            .setPinL0FilterAndIndexBlocksInCache(true);
    if (column.pointReads) {
      BloomFilter bloom = new BloomFilter(config.bloomBitsPerKey());
      options.add(bloom);
      table.setFilterPolicy(bloom).setWholeKeyFiltering(true);
    }
    cf.setWriteBufferSize(
            column.pointReads ? config.stateWriteBufferBytes() : config.indexWriteBufferBytes())
        .setMaxWriteBufferNumber(config.maxWriteBufferNumber())
        .setCompressionType(CompressionType.LZ4_COMPRESSION)
        .setLevelCompactionDynamicLevelBytes(true);
    if (!column.pointReads) {
      // Index keys grow with time, so each flush (one per snapshot at least) holds a key range
      // after everything stored: leveled compaction merely moves such files down a level, and
      // the column family gained one small file per compaction forever (86 files after 40
      // snapshots of a small partition, each to be listed, linked and published by every
      // snapshot). Universal compaction merges the sorted runs themselves and keeps the count
      // bounded (14 files); indexes are small next to the state, so rewriting them is cheap.
      cf.setCompactionStyle(CompactionStyle.UNIVERSAL);
    }
    config.customizer().customizeColumnFamily(column.familyName, cf, table);
    cf.setTableFormatConfig(table);
    return cf;
  }

  /**
   * Opens a fresh, empty store in {@code directory}: whatever an earlier run left there is
   * discarded first (under the database lock, so a store another instance holds open is never
   * touched).
   */
  static RocksDbStore openFresh(Path directory, SharedRocksResources shared, RocksDbConfig config) {
    if (hasContent(directory)) {
      try (Options destroyOptions = new Options()) {
        RocksDB.destroyDB(directory.toString(), destroyOptions);
      } catch (RocksDBException e) {
        throw openFailure(directory, e);
      }
    }
    return new RocksDbStore(directory, shared, config);
  }

  /**
   * Opens the store in {@code directory} over the files of a snapshot ({@link #checkpoint}) found
   * in {@code snapshot}: whatever {@code directory} held is discarded first, then the snapshot's
   * SST files are hard-linked (copied if linking is impossible) and its other files copied.
   */
  static RocksDbStore openRestored(Path directory, Path snapshot, SharedRocksResources shared,
      RocksDbConfig config) {
    if (hasContent(directory)) {
      try (Options destroyOptions = new Options()) {
        RocksDB.destroyDB(directory.toString(), destroyOptions);
      } catch (RocksDBException e) {
        throw openFailure(directory, e);
      }
    }
    try {
      Files.createDirectories(directory);
      try (Stream<Path> files = Files.list(snapshot)) {
        for (Path file : (Iterable<Path>) files::iterator) {
          Path target = directory.resolve(file.getFileName().toString());
          Files.deleteIfExists(target);
          if (file.getFileName().toString().endsWith(".sst")) {
            try {
              Files.createLink(target, file);
              continue;
            } catch (java.io.IOException | UnsupportedOperationException e) {
              // another file system: copy instead
            }
          }
          Files.copy(file, target);
        }
      }
    } catch (java.io.IOException e) {
      throw new IllegalStateException(
          "Cannot restore RocksDB state from " + snapshot + " into " + directory, e);
    }
    return new RocksDbStore(directory, shared, config);
  }

  /**
   * Writes a consistent copy of the committed database into {@code target} (which must not
   * exist): memtables are flushed and SST files hard-linked, other files copied.
   *
   * @throws IllegalStateException if the current batch has uncommitted writes
   */
  void checkpoint(Path target) {
    if (pendingWrites() != 0) {
      throw new IllegalStateException("Cannot snapshot " + directory + " with " + pendingWrites()
          + " uncommitted writes: snapshot after commit()");
    }
    try (Checkpoint checkpoint = Checkpoint.create(db)) {
      checkpoint.createCheckpoint(target.toString());
    } catch (RocksDBException e) {
      throw new IllegalStateException(
          "RocksDB snapshot of " + directory + " into " + target + " failed", e);
    }
  }

  /** Every key the layout writes sorts below this (keys never start with 32 bytes of 0xFF). */
  private static final byte[] ABOVE_ALL_KEYS = filled(32, (byte) 0xFF);

  /**
   * RocksDB's estimate of the bytes of all committed entries, in SST files and memtables, summed
   * over column families. Memtable entries are estimated from their count and average size rather
   * than the arena's allocated blocks, which would report megabytes for a few entries.
   */
  long approximateSizeBytes() {
    long total = 0;
    try (Slice from = new Slice(new byte[0]);
        Slice until = new Slice(ABOVE_ALL_KEYS)) {
      List<Range> everything = List.of(new Range(from, until));
      for (ColumnFamilyHandle handle : handles.values()) {
        total += db.getApproximateSizes(handle, everything,
            SizeApproximationFlag.INCLUDE_FILES, SizeApproximationFlag.INCLUDE_MEMTABLES)[0];
      }
    }
    return total;
  }

  private static byte[] filled(int length, byte value) {
    byte[] bytes = new byte[length];
    Arrays.fill(bytes, value);
    return bytes;
  }

  private static boolean hasContent(Path directory) {
    if (!Files.isDirectory(directory)) {
      return false;
    }
    try (Stream<Path> entries = Files.list(directory)) {
      return entries.findAny().isPresent();
    } catch (java.io.IOException e) {
      return true;
    }
  }

  private static RuntimeException openFailure(Path directory, RocksDBException e) {
    String message = String.valueOf(e.getMessage());
    if (message.contains("lock hold by current process")
        || message.contains("LOCK: Resource temporarily unavailable")
        || message.contains("No locks available")) {
      return new StateDirectoryException(directory, StateDirectoryException.Reason.LOCKED, e);
    }
    if (message.contains("Read-only file system") || message.contains("Permission denied")
        || message.contains("Operation not permitted")) {
      return new StateDirectoryException(directory, StateDirectoryException.Reason.READ_ONLY, e);
    }
    return new IllegalStateException("Cannot open RocksDB state in " + directory, e);
  }

  Path directory() {
    return directory;
  }

  /**
   * The value of {@code key} as the batch sees it. Keys and values are shared with the pending
   * writes, so callers never change an array they passed in or got back.
   */
  byte[] get(Column column, byte[] key) {
    byte[] written = pending.get(column, key);
    if (written != null) {
      return written == PendingWrites.TOMBSTONE ? null : written;
    }
    try {
      return !spilled
          ? db.get(handles.get(column), readOptions, key)
          : batch.getFromBatchAndDB(db, handles.get(column), readOptions, key);
    } catch (RocksDBException e) {
      throw failure("read", e);
    }
  }

  void put(Column column, byte[] key, byte[] value) {
    pending.put(column, key, value);
    spillIfLarge();
  }

  void delete(Column column, byte[] key) {
    pending.delete(column, key);
    spillIfLarge();
  }

  /** Moves the pending writes into the native write batch once they exceed their heap budget. */
  private void spillIfLarge() {
    if (pending.bytes() > pendingWriteBytes) {
      try {
        pending.writeTo(batch, handles);
      } catch (RocksDBException e) {
        throw failure("write", e);
      }
      spilled = true;
      pending.clear();
    }
  }

  /**
   * Visits the entries with {@code from <= key < until} in key order, the batch's writes over the
   * database; {@code null} bounds are open. The visitor must not write to the store.
   */
  void scan(Column column, byte[] from, byte[] until, EntryVisitor visitor) {
    ColumnFamilyHandle handle = handles.get(column);
    Iterator<Map.Entry<byte[], byte[]>> written =
        pending.range(column, from, until).entrySet().iterator();
    try (RocksIterator it = !spilled
        ? db.newIterator(handle, readOptions)
        : batch.newIteratorWithBase(handle, db.newIterator(handle, readOptions), readOptions)) {
      if (from == null) {
        it.seekToFirst();
      } else {
        it.seek(from);
      }
      // Merge the pending writes (which win on equal keys) with what is stored below them.
      Map.Entry<byte[], byte[]> next = written.hasNext() ? written.next() : null;
      while (true) {
        byte[] stored = it.isValid() ? it.key() : null;
        if (stored != null && until != null && Arrays.compareUnsigned(stored, until) >= 0) {
          stored = null;
        }
        if (next == null && stored == null) {
          break;
        }
        int order = next == null ? 1
            : stored == null ? -1 : Arrays.compareUnsigned(next.getKey(), stored);
        if (order <= 0) {
          if (order == 0) {
            it.next();
          }
          byte[] key = next.getKey();
          byte[] value = next.getValue();
          next = written.hasNext() ? written.next() : null;
          if (value != PendingWrites.TOMBSTONE && !visitor.visit(key, value)) {
            break;
          }
        } else {
          if (!visitor.visit(stored, it.value())) {
            break;
          }
          it.next();
        }
      }
      it.status();
    } catch (RocksDBException e) {
      throw failure("scan", e);
    }
  }

  /** Visits the entries whose key starts with {@code prefix}. */
  void scanPrefix(Column column, byte[] prefix, EntryVisitor visitor) {
    scan(column, prefix, KeyLayout.prefixEnd(prefix), visitor);
  }

  /** Deletes every entry with {@code from <= key < until} (batch and database). */
  void deleteRange(Column column, byte[] from, byte[] until) {
    List<byte[]> keys = new ArrayList<>();
    scan(column, from, until, (key, value) -> keys.add(key));
    for (byte[] key : keys) {
      delete(column, key);
    }
  }

  void deletePrefix(Column column, byte[] prefix) {
    deleteRange(column, prefix, KeyLayout.prefixEnd(prefix));
  }

  boolean hasAny(Column column, byte[] from, byte[] until) {
    boolean[] found = {false};
    scan(column, from, until, (key, value) -> {
      found[0] = true;
      return false;
    });
    return found[0];
  }

  boolean hasPrefix(Column column, byte[] prefix) {
    return hasAny(column, prefix, KeyLayout.prefixEnd(prefix));
  }

  /** The first key of the column at or after {@code from}, or null. */
  byte[] firstKey(Column column, byte[] from, byte[] until) {
    byte[][] first = {null};
    scan(column, from, until, (key, value) -> {
      first[0] = key;
      return false;
    });
    return first[0];
  }

  /** Number of writes waiting for {@link #commit()} (rewrites of a key may count once). */
  int pendingWrites() {
    return pending.size() + (spilled ? batch.count() : 0);
  }

  /** Writes the batch to the database atomically and starts a new one. */
  void commit() {
    if (pendingWrites() == 0) {
      return;
    }
    try {
      if (!spilled) {
        pending.writeTo(commitBatch, handles);
        db.write(writeOptions, commitBatch);
      } else {
        pending.writeTo(batch, handles);
        db.write(writeOptions, batch);
      }
    } catch (RocksDBException e) {
      // The writes stay pending (appending them to the batch again is harmless), so a retry or
      // an abort still sees them.
      throw failure("commit", e);
    } finally {
      commitBatch.clear();
    }
    pending.clear();
    batch.clear();
    spilled = false;
  }

  /** Drops every write since the last commit. */
  void abort() {
    pending.clear();
    batch.clear();
    spilled = false;
  }

  private IllegalStateException failure(String what, RocksDBException e) {
    return new IllegalStateException("RocksDB " + what + " failed in " + directory, e);
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    batch.close();
    commitBatch.close();
    readOptions.close();
    writeOptions.close();
    for (ColumnFamilyHandle handle : handles.values()) {
      handle.close();
    }
    db.close();
    closeOptions();
  }

  private void closeOptions() {
    for (int i = options.size() - 1; i >= 0; i--) {
      options.get(i).close();
    }
    options.clear();
  }
}
