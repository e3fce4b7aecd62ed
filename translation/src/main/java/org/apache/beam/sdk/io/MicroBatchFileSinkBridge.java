package org.apache.beam.sdk.io;

import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TupleTag;

/**
 * MicroBatch's staged file sink replaces {@link WriteFiles} and needs four of its package-private
 * hooks (the writer's destination, the destination coder default, the sink's output hints, a
 * {@link WriteFilesResult}); this class lives in Beam's package only to reach them, and does
 * nothing else.
 */
public final class MicroBatchFileSinkBridge {
  private MicroBatchFileSinkBridge() {}

  /** Tells a writer which destination it writes (FileIO's sinks pick their format by it). */
  public static <DestinationT> void setDestination(
      FileBasedSink.Writer<DestinationT, ?> writer, DestinationT destination) {
    writer.setDestination(destination);
  }

  /** The destination coder WriteFiles itself would use. */
  public static <DestinationT> Coder<DestinationT> destinationCoder(
      FileBasedSink.DynamicDestinations<?, DestinationT, ?> destinations, CoderRegistry registry)
      throws CannotProvideCoderException {
    return destinations.getDestinationCoderWithDefault(registry);
  }

  /** Gives the destinations access to side inputs through the running DoFn's context. */
  public static void setSideInputAccessor(
      FileBasedSink.DynamicDestinations<?, ?, ?> destinations, DoFn<?, ?>.ProcessContext context) {
    destinations.setSideInputAccessorFromProcessContext(context);
  }

  /** The compression the sink applies, which final file names carry as a suffix. */
  public static FileBasedSink.OutputFileHints outputFileHints(FileBasedSink<?, ?, ?> sink) {
    return sink.getWritableByteChannelFactory();
  }

  /** The result WriteFiles returns, over our own output file names. */
  public static <DestinationT> WriteFilesResult<DestinationT> result(
      Pipeline pipeline,
      TupleTag<KV<DestinationT, String>> tag,
      PCollection<KV<DestinationT, String>> filenames) {
    return WriteFilesResult.in(pipeline, tag, filenames);
  }
}
