package io.microbatch.engine.source;

import java.util.List;
import java.util.Optional;
import org.joda.time.Instant;

/**
 * A source as the batch loop sees it: each batch it hands out the splits to read now, and after
 * they were read it reports its watermark.
 */
public interface BatchSource extends AutoCloseable {

  /** The splits to read in the coming batch; empty when there is nothing new. */
  List<SourceSplit> planBatch(long batchId, int parallelism) throws Exception;

  /** The watermark of the source's output once the planned splits have been read. */
  Instant watermark();

  /**
   * Called once the batch that read the planned splits committed: the moment to acknowledge what
   * was read (finalize checkpoint marks). Not called for a batch that failed.
   */
  default void onBatchCommitted(long batchId) throws Exception {}

  /**
   * Backpressure: the most records the next planned batch may read, over all splits. Sources that
   * cannot be throttled (bounded ones are read whole, a TestStream replays its events) ignore it.
   */
  default void limitNextBatch(long maxRecords) {}

  /**
   * Where reading resumes once everything planned so far has been read, for a checkpoint taken
   * after a committed batch. Empty if the source cannot resume.
   */
  default Optional<byte[]> position() throws Exception {
    return Optional.empty();
  }

  /**
   * Resumes from a {@link #position()} an earlier run of the same pipeline returned; called before
   * the first {@link #planBatch}.
   */
  default void restore(byte[] position) throws Exception {
    throw new UnsupportedOperationException(
        getClass().getSimpleName() + " cannot resume from a checkpointed position");
  }

  /**
   * After the planned splits were read: what they read, for the write-ahead log, enough for
   * {@link #replayBatch} to read exactly the same records again after a restart (with an unbounded
   * reader, how many records each split read and the watermark it reached). Empty if the source
   * cannot replay a batch; a restart then plans that batch afresh.
   */
  default Optional<byte[]> batchExtent() throws Exception {
    return Optional.empty();
  }

  /**
   * Instead of {@link #planBatch}, for a batch replayed after a restart: the splits that read
   * exactly what the logged {@code extent} says, continuing from where the source was restored
   * or the previous replayed batch left it.
   */
  default List<SourceSplit> replayBatch(long batchId, int parallelism, byte[] extent)
      throws Exception {
    throw new UnsupportedOperationException(
        getClass().getSimpleName() + " cannot replay a logged batch");
  }

  /** True once the source will never produce anything again. */
  boolean isExhausted();

  @Override
  default void close() throws Exception {}
}
