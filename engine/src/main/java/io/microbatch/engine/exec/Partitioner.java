package io.microbatch.engine.exec;

import io.microbatch.state.ByteKey;

/** Maps an encoded key to a partition of a keyed stage. */
final class Partitioner {
  private Partitioner() {}

  static int partitionOf(ByteKey key, int partitions) {
    // Mix the array hash so that keys differing only in their last bytes still spread.
    int h = key.hashCode() * 0x9E3779B9;
    h ^= h >>> 16;
    return Math.floorMod(h, partitions);
  }
}
