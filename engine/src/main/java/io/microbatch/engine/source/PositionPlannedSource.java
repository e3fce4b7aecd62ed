package io.microbatch.engine.source;

import java.util.List;
import java.util.Optional;

/**
 * A source whose plan for a batch depends only on its position (Impulse, a bounded source read
 * whole, a TestStream's next event): it replays a logged batch by planning it again, so its
 * extent in the log is empty.
 */
public interface PositionPlannedSource extends BatchSource {

  @Override
  default Optional<byte[]> batchExtent() {
    return Optional.of(new byte[0]);
  }

  @Override
  default List<SourceSplit> replayBatch(long batchId, int parallelism, byte[] extent)
      throws Exception {
    return planBatch(batchId, parallelism);
  }
}
