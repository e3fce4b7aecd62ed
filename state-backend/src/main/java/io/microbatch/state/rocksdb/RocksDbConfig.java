package io.microbatch.state.rocksdb;

/**
 * The RocksDB options the backend applies, with defaults chosen for a machine of a few cores and
 * tens of GiB of memory running several partitions per stage. Override single values with the
 * {@code with...} methods, anything else through a {@link RocksDbOptionsCustomizer}.
 *
 * @param blockCacheBytes one LRU block cache shared by every partition of a backend (reads of
 *     recently used blocks, index and filter blocks); default 512 MiB
 * @param writeBufferManagerBytes the memtable budget of all partitions together, charged to the
 *     block cache, so that many partitions cannot each fill their own write buffers; default 256 MiB
 * @param stateWriteBufferBytes memtable size of the state and timer column families; default 16 MiB
 * @param indexWriteBufferBytes memtable size of the small index column families; default 4 MiB
 * @param maxWriteBufferNumber memtables per column family before writes stall; default 3
 * @param bloomBitsPerKey bits per key of the bloom filters (point reads of values, accumulators,
 *     map entries and timers skip files without the key); default 10 (about 1% false positives)
 * @param blockSizeBytes data block size; default 16 KiB (fewer index entries than 4 KiB)
 * @param maxBackgroundJobs flush and compaction threads of the process; default 2
 * @param pendingWriteBytes heap a partition's batch may fill with its uncommitted writes before
 *     they move into RocksDB's native write batch (a batch reading a whole bounded input can be
 *     large); default 32 MiB
 * @param customizer the hook for everything else; default {@link RocksDbOptionsCustomizer#NONE}
 */
public record RocksDbConfig(
    long blockCacheBytes,
    long writeBufferManagerBytes,
    long stateWriteBufferBytes,
    long indexWriteBufferBytes,
    int maxWriteBufferNumber,
    double bloomBitsPerKey,
    long blockSizeBytes,
    int maxBackgroundJobs,
    long pendingWriteBytes,
    RocksDbOptionsCustomizer customizer) {

  private static final long MIB = 1024L * 1024L;

  public RocksDbConfig {
    if (blockCacheBytes <= 0 || writeBufferManagerBytes <= 0 || stateWriteBufferBytes <= 0
        || indexWriteBufferBytes <= 0 || maxWriteBufferNumber < 2 || bloomBitsPerKey <= 0
        || blockSizeBytes <= 0 || maxBackgroundJobs <= 0 || pendingWriteBytes < 0
        || customizer == null) {
      throw new IllegalArgumentException("Invalid RocksDB configuration: " + describe(
          blockCacheBytes, writeBufferManagerBytes, stateWriteBufferBytes, indexWriteBufferBytes,
          maxWriteBufferNumber, bloomBitsPerKey, blockSizeBytes, maxBackgroundJobs)
          + ", pendingWriteBytes=" + pendingWriteBytes + " (>= 0)");
    }
  }

  /** The defaults described above. */
  public static RocksDbConfig defaults() {
    return new RocksDbConfig(
        512 * MIB, 256 * MIB, 16 * MIB, 4 * MIB, 3, 10.0, 16 * 1024, 2, 32 * MIB,
        RocksDbOptionsCustomizer.NONE);
  }

  public RocksDbConfig withBlockCacheBytes(long bytes) {
    return new RocksDbConfig(bytes, writeBufferManagerBytes, stateWriteBufferBytes,
        indexWriteBufferBytes, maxWriteBufferNumber, bloomBitsPerKey, blockSizeBytes,
        maxBackgroundJobs, pendingWriteBytes, customizer);
  }

  public RocksDbConfig withWriteBufferManagerBytes(long bytes) {
    return new RocksDbConfig(blockCacheBytes, bytes, stateWriteBufferBytes,
        indexWriteBufferBytes, maxWriteBufferNumber, bloomBitsPerKey, blockSizeBytes,
        maxBackgroundJobs, pendingWriteBytes, customizer);
  }

  public RocksDbConfig withStateWriteBufferBytes(long bytes) {
    return new RocksDbConfig(blockCacheBytes, writeBufferManagerBytes, bytes,
        indexWriteBufferBytes, maxWriteBufferNumber, bloomBitsPerKey, blockSizeBytes,
        maxBackgroundJobs, pendingWriteBytes, customizer);
  }

  public RocksDbConfig withPendingWriteBytes(long bytes) {
    return new RocksDbConfig(blockCacheBytes, writeBufferManagerBytes, stateWriteBufferBytes,
        indexWriteBufferBytes, maxWriteBufferNumber, bloomBitsPerKey, blockSizeBytes,
        maxBackgroundJobs, bytes, customizer);
  }

  public RocksDbConfig withCustomizer(RocksDbOptionsCustomizer newCustomizer) {
    return new RocksDbConfig(blockCacheBytes, writeBufferManagerBytes, stateWriteBufferBytes,
        indexWriteBufferBytes, maxWriteBufferNumber, bloomBitsPerKey, blockSizeBytes,
        maxBackgroundJobs, pendingWriteBytes, newCustomizer);
  }

  private static String describe(long cache, long wbm, long stateWb, long indexWb, int wbNumber,
      double bloom, long block, int jobs) {
    return "blockCacheBytes=" + cache + ", writeBufferManagerBytes=" + wbm
        + ", stateWriteBufferBytes=" + stateWb + ", indexWriteBufferBytes=" + indexWb
        + ", maxWriteBufferNumber=" + wbNumber + " (>= 2), bloomBitsPerKey=" + bloom
        + ", blockSizeBytes=" + block + ", maxBackgroundJobs=" + jobs + ", customizer non-null";
  }
}
