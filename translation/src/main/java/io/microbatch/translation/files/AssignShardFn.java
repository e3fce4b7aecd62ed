package io.microbatch.translation.files;

import java.util.Arrays;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.io.FileBasedSink;
import org.apache.beam.sdk.io.MicroBatchFileSinkBridge;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.KV;

/**
 * Keys each element by (shard, destination); the shard is a hash of the element's encoding, so
 * the same element lands in the same shard when a batch is replayed.
 */
final class AssignShardFn<UserT, DestinationT>
    extends DoFn<UserT, KV<KV<Integer, DestinationT>, UserT>> {
  private final FileBasedSink<UserT, DestinationT, ?> sink;
  private final Coder<UserT> elementCoder;
  private final int shards;

  AssignShardFn(FileBasedSink<UserT, DestinationT, ?> sink, Coder<UserT> elementCoder, int shards) {
    this.sink = sink;
    this.elementCoder = elementCoder;
    this.shards = shards;
  }

  @ProcessElement
  public void process(ProcessContext context) throws Exception {
    FileBasedSink.DynamicDestinations<UserT, DestinationT, ?> destinations =
        sink.getDynamicDestinations();
    MicroBatchFileSinkBridge.setSideInputAccessor(destinations, context);
    UserT element = context.element();
    DestinationT destination = destinations.getDestination(element);
    int hash = Arrays.hashCode(CoderUtils.encodeToByteArray(elementCoder, element));
    context.output(KV.of(KV.of(Math.floorMod(hash, shards), destination), element));
  }
}
