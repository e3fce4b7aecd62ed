package io.microbatch.state.rocksdb;

/**
 * Hands out increasing numbers for the entries of bags, multimaps and ordered lists of one
 * partition, so that appends need no read. Gaps (from aborted batches) are harmless; the value is
 * stored with every commit so that a restored store continues above every number in it.
 */
final class SequenceCounter {
  static final byte[] META_KEY = {'s', 'e', 'q'};

  private long next;

  SequenceCounter(long start) {
    this.next = start;
  }

  long next() {
    return next++;
  }

  long peek() {
    return next;
  }
}
