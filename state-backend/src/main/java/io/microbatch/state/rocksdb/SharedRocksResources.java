package io.microbatch.state.rocksdb;

import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteBufferManager;

/**
 * The native objects every partition of one backend shares: the LRU block cache and the write
 * buffer manager that bounds all memtables together (charged to that cache). Closed by the backend
 * after the last partition using them closed.
 */
final class SharedRocksResources implements AutoCloseable {
  static {
    RocksDB.loadLibrary();
  }

  final Cache blockCache;
  final WriteBufferManager writeBufferManager;

  SharedRocksResources(RocksDbConfig config) {
    // -1 shard bits lets RocksDB pick by capacity; no strict limit (reads never fail), 10% of the
    // cache kept for high-priority index and filter blocks.
    this.blockCache = new LRUCache(config.blockCacheBytes(), -1, false, 0.1);
    this.writeBufferManager =
        new WriteBufferManager(config.writeBufferManagerBytes(), blockCache);
  }

  @Override
  public void close() {
    writeBufferManager.close();
    blockCache.close();
  }
}
