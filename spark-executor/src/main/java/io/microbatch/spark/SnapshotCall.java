package io.microbatch.spark;

import io.microbatch.state.PartitionState;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Snapshots a keyed partition's committed state on the executor holding it and returns the
 * snapshot's files to the driver, which publishes them in the checkpoint.
 */
final class SnapshotCall implements RemotePartitionTask<PartitionFiles> {
  private static final long serialVersionUID = 1L;

  private final ExecutorLocation holder;

  SnapshotCall(ExecutorLocation holder) {
    this.holder = holder;
  }

  @Override
  public PartitionFiles run(PartitionContext context) throws Exception {
    PartitionState state = holder.equals(context.executor()) ? context.heldState() : null;
    if (state == null) {
      // A snapshot without this partition would restore it empty: fail the checkpoint instead.
      throw new IllegalStateException("Snapshot of partition " + context.partition() + " of "
          + context.stageId() + " ran on " + context.executor() + ", which does not hold it (its "
          + "holder is " + holder + ")");
    }
    Path scratch = Files.createTempDirectory("microbatch-snapshot-");
    try {
      // The snapshot directory must not exist yet: RocksDB creates it.
      Path directory = scratch.resolve("partition");
      state.snapshot(directory);
      return PartitionFiles.read(directory);
    } finally {
      PartitionFiles.deleteRecursively(scratch);
    }
  }
}
