package io.microbatch.translation.files;

import static org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions.RESOLVE_FILE;

import io.microbatch.translation.operators.RequiredFinalization;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.io.FileBasedSink;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.MicroBatchFileSinkBridge;
import org.apache.beam.sdk.io.fs.MoveOptions.StandardMoveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.KV;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one shard's pane to a temporary file whose name depends only on (destination, window,
 * pane, shard), then asks the engine to rename it to its final name once the batch committed.
 */
final class WriteStagedShardFn<UserT, DestinationT, OutputT>
    extends DoFn<KV<KV<Integer, DestinationT>, Iterable<UserT>>, KV<DestinationT, String>> {
  private static final Logger LOG = LoggerFactory.getLogger(WriteStagedShardFn.class);
  /** Publishing is not optional: the callback must run whenever the batch commits. */
  private static final Duration NEVER_EXPIRES = Duration.standardDays(365);

  private final FileBasedSink<UserT, DestinationT, OutputT> sink;
  private final boolean windowedWrites;
  private final int shards;
  private final Coder<BoundedWindow> windowCoder;
  private final Coder<DestinationT> destinationCoder;
  private transient FileBasedSink.WriteOperation<DestinationT, OutputT> writeOperation;

  WriteStagedShardFn(
      FileBasedSink<UserT, DestinationT, OutputT> sink,
      boolean windowedWrites,
      int shards,
      Coder<BoundedWindow> windowCoder,
      Coder<DestinationT> destinationCoder) {
    this.sink = sink;
    this.destinationCoder = destinationCoder;
    this.windowedWrites = windowedWrites;
    this.shards = shards;
    this.windowCoder = windowCoder;
  }

  @Setup
  public void setup() {
    writeOperation = sink.createWriteOperation();
    // Windowed writes use one fixed temporary directory, the same after a restart.
    writeOperation.setWindowedWrites();
  }

  @ProcessElement
  public void process(
      ProcessContext context, BoundedWindow window, PaneInfo pane, BundleFinalizer finalizer)
      throws Exception {
    FileBasedSink.DynamicDestinations<UserT, DestinationT, OutputT> destinations =
        sink.getDynamicDestinations();
    MicroBatchFileSinkBridge.setSideInputAccessor(destinations, context);
    int shard = context.element().getKey().getKey();
    DestinationT destination = context.element().getKey().getValue();
    FileBasedSink.Writer<DestinationT, OutputT> writer = writeOperation.createWriter();
    MicroBatchFileSinkBridge.setDestination(writer, destination);
    String stagedName = stagedName(destination, window, pane, shard);
    // A replay or a crashed attempt may have left this file: it is written anew.
    FileSystems.delete(
        List.of(writeOperation.getTempDirectory().resolve(stagedName, RESOLVE_FILE)),
        StandardMoveOptions.IGNORE_MISSING_FILES);
    writer.open(stagedName);
    try {
      for (UserT value : context.element().getValue()) {
        writer.write(destinations.formatRecord(value));
      }
      writer.close();
    } catch (Exception e) {
      writer.cleanup();
      throw e;
    }
    FileBasedSink.FileResult<DestinationT> result =
        new FileBasedSink.FileResult<>(writer.getOutputFile(), shard, window, pane, destination);
    ResourceId staged = writer.getOutputFile();
    ResourceId target =
        result.getDestinationFile(
            windowedWrites, destinations, shards, MicroBatchFileSinkBridge.outputFileHints(sink));
    finalizer.afterBundleCommit(
        Instant.now().plus(NEVER_EXPIRES), (RequiredFinalization) () -> publish(staged, target));
    context.output(KV.of(destination, target.toString()));
  }

  private static void publish(ResourceId staged, ResourceId target) throws Exception {
    // A replayed batch publishes the same file again: the rename replaces the earlier copy
    // (Beam's file systems rename over an existing file).
    FileSystems.rename(List.of(staged), List.of(target));
    LOG.debug("Published {}", target);
  }

  /** The same (destination, window, pane, shard) gives the same name in every run. */
  private String stagedName(DestinationT destination, BoundedWindow window, PaneInfo pane,
      int shard) throws Exception {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    digest.update(CoderUtils.encodeToByteArray(destinationCoder, destination));
    digest.update(CoderUtils.encodeToByteArray(windowCoder, window));
    digest.update(Long.toString(pane.getIndex()).getBytes(StandardCharsets.UTF_8));
    digest.update(Integer.toString(shard).getBytes(StandardCharsets.UTF_8));
    return "staged-" + HexFormat.of().formatHex(digest.digest()).substring(0, 32);
  }
}
