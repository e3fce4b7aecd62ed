package io.microbatch.spark;

import java.io.Serializable;

/**
 * Where and with how much memory executors keep keyed state, sent with every task so executors
 * need no configuration of their own.
 *
 * @param root a local directory on every executor's machine; each executor uses {@code
 *     <root>/executor-<id>} so executors sharing a machine never share a RocksDB directory
 * @param blockCacheBytes RocksDB block cache shared by all partitions of one executor
 * @param writeBufferBytes RocksDB memtable budget shared by all partitions of one executor
 */
public record StateSettings(String root, long blockCacheBytes, long writeBufferBytes)
    implements Serializable {

  public StateSettings {
    if (root == null || root.isBlank()) {
      throw new IllegalArgumentException("state root must be a directory path");
    }
    if (blockCacheBytes <= 0 || writeBufferBytes <= 0) {
      throw new IllegalArgumentException("cache and write buffer sizes must be positive");
    }
  }
}
