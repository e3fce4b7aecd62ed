package io.microbatch.checkpoint;

import java.util.List;
import java.util.Optional;

/**
 * Where a restarted job resumes, from {@link CheckpointDirectory#recover}.
 *
 * @param snapshot the restored state snapshot, or empty to start from empty state
 * @param batchesToReplay batches to run again, ascending and consecutive, each with the offsets
 *     its {@link CheckpointLog#readOffsets} returns (committed ones first, then at most one that
 *     was logged but not committed)
 * @param nextBatchId the id of the first batch to plan afresh, after the replayed ones
 */
public record Recovery(
    Optional<RestoredSnapshot> snapshot, List<Long> batchesToReplay, long nextBatchId) {
  public Recovery {
    batchesToReplay = List.copyOf(batchesToReplay);
  }
}
