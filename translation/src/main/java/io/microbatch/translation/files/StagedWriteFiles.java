package io.microbatch.translation.files;

import java.util.List;
import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.io.FileBasedSink;
import org.apache.beam.sdk.io.MicroBatchFileSinkBridge;
import org.apache.beam.sdk.io.WriteFiles;
import org.apache.beam.sdk.io.WriteFilesResult;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.DefaultTrigger;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Beam's {@link WriteFiles} made exactly-once on the engine: elements go to a fixed number of
 * shards by a hash of their encoding (so a replayed batch shards them the same), each shard's
 * pane is written to a temporary file named after its destination, window, pane and shard (so a
 * replay overwrites it), and the file is renamed to its final name only once the batch is logged
 * and committed. A batch replayed after a crash therefore replaces its files rather than adding
 * to them. The output file names are emitted in the batch that writes them.
 */
final class StagedWriteFiles<UserT, DestinationT, OutputT>
    extends PTransform<PCollection<UserT>, WriteFilesResult<DestinationT>> {
  private final WriteFiles<UserT, DestinationT, OutputT> original;
  private final int defaultShards;

  StagedWriteFiles(WriteFiles<UserT, DestinationT, OutputT> original, int defaultShards) {
    this.original = original;
    this.defaultShards = defaultShards;
  }

  @Override
  public WriteFilesResult<DestinationT> expand(PCollection<UserT> input) {
    FileBasedSink<UserT, DestinationT, OutputT> sink = original.getSink();
    FileBasedSink.DynamicDestinations<UserT, DestinationT, OutputT> destinations =
        sink.getDynamicDestinations();
    Coder<DestinationT> destinationCoder;
    try {
      destinationCoder =
          MicroBatchFileSinkBridge.destinationCoder(
              destinations, input.getPipeline().getCoderRegistry());
      destinationCoder.verifyDeterministic();
    } catch (CannotProvideCoderException | Coder.NonDeterministicException e) {
      throw new IllegalArgumentException(
          "The file write " + original.getName() + " needs a deterministic destination coder", e);
    }
    int shards =
        original.getNumShardsProvider() != null && original.getNumShardsProvider().get() != null
            ? original.getNumShardsProvider().get()
            : defaultShards;
    PCollection<UserT> windowed = input;
    if (!original.getWindowedWrites()) {
      windowed =
          input.apply(
              "RewindowIntoGlobal",
              Window.<UserT>into(new GlobalWindows())
                  .triggering(DefaultTrigger.of())
                  .discardingFiredPanes());
    }
    List<PCollectionView<?>> sideInputs = destinations.getSideInputs();
    KvCoder<Integer, DestinationT> keyCoder = KvCoder.of(VarIntCoder.of(), destinationCoder);
    PCollection<KV<DestinationT, String>> filenames =
        windowed
            .apply(
                "AssignShards",
                ParDo.of(new AssignShardFn<>(sink, input.getCoder(), shards))
                    .withSideInputs(sideInputs))
            .setCoder(KvCoder.of(keyCoder, input.getCoder()))
            .apply("GroupIntoShards", GroupByKey.create())
            .apply(
                "WriteAndStageShards",
                ParDo.of(
                        new WriteStagedShardFn<>(
                            sink,
                            original.getWindowedWrites(),
                            shards,
                            windowCoder(windowed),
                            destinationCoder))
                    .withSideInputs(sideInputs))
            .setCoder(KvCoder.of(destinationCoder, StringUtf8Coder.of()));
    return MicroBatchFileSinkBridge.result(
        input.getPipeline(), new TupleTag<>("perDestinationOutputFilenames"), filenames);
  }

  @SuppressWarnings("unchecked")
  private static Coder<BoundedWindow> windowCoder(PCollection<?> input) {
    return (Coder<BoundedWindow>) input.getWindowingStrategy().getWindowFn().windowCoder();
  }
}
