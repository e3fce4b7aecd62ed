package io.microbatch.translation.files;

import java.util.Map;
import org.apache.beam.sdk.io.WriteFiles;
import org.apache.beam.sdk.io.WriteFilesResult;
import org.apache.beam.sdk.runners.AppliedPTransform;
import org.apache.beam.sdk.runners.PTransformMatcher;
import org.apache.beam.sdk.runners.PTransformOverrideFactory;
import org.apache.beam.sdk.transforms.errorhandling.BadRecordRouter;
import org.apache.beam.sdk.util.construction.PTransformReplacements;
import org.apache.beam.sdk.util.construction.ReplacementOutputs;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Replaces {@link WriteFiles} (what TextIO, FileIO and AvroIO writes expand to) with {@link
 * StagedWriteFiles} in streaming mode. Writes whose shard count is computed from the data, or that
 * route bad records elsewhere, keep Beam's own expansion.
 */
public final class StagedWriteFilesOverride<UserT, DestinationT, OutputT>
    implements PTransformOverrideFactory<
        PCollection<UserT>, WriteFilesResult<DestinationT>,
        WriteFiles<UserT, DestinationT, OutputT>> {
  private final int defaultShards;

  /** @param defaultShards shards per destination and pane when the write does not fix them */
  public StagedWriteFilesOverride(int defaultShards) {
    if (defaultShards <= 0) {
      throw new IllegalArgumentException("Shards must be positive, was " + defaultShards);
    }
    this.defaultShards = defaultShards;
  }

  /** The writes this override replaces. */
  public static PTransformMatcher matcher() {
    return application -> {
      if (!(application.getTransform() instanceof WriteFiles<?, ?, ?> write)) {
        return false;
      }
      return write.getComputeNumShards() == null
          && write.getBadRecordRouter() == BadRecordRouter.THROWING_ROUTER;
    };
  }

  @Override
  public PTransformReplacement<PCollection<UserT>, WriteFilesResult<DestinationT>>
      getReplacementTransform(
          AppliedPTransform<
                  PCollection<UserT>, WriteFilesResult<DestinationT>,
                  WriteFiles<UserT, DestinationT, OutputT>>
              transform) {
    return PTransformReplacement.of(
        PTransformReplacements.getSingletonMainInput(transform),
        new StagedWriteFiles<>(transform.getTransform(), defaultShards));
  }

  @Override
  public Map<PCollection<?>, ReplacementOutput> mapOutputs(
      Map<TupleTag<?>, PCollection<?>> outputs, WriteFilesResult<DestinationT> newOutput) {
    return ReplacementOutputs.tagged(outputs, newOutput);
  }
}
