package io.microbatch.translation.sources;

import io.microbatch.engine.operator.Emitter;
import io.microbatch.engine.source.PositionPlannedSource;
import io.microbatch.engine.source.SourceSplit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.beam.runners.core.construction.SerializablePipelineOptions;
import org.apache.beam.sdk.io.BoundedSource;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.WindowedValues;
import org.joda.time.Instant;

/**
 * A Beam {@link BoundedSource} read whole in the first batch, split into about one bundle per
 * worker thread.
 */
public final class BoundedSourceAdapter<T> implements PositionPlannedSource {
  private final BoundedSource<T> source;
  private final PipelineOptions options;
  private boolean planned;

  public BoundedSourceAdapter(BoundedSource<T> source, PipelineOptions options) {
    this.source = source;
    this.options = options;
  }

  @Override
  public List<SourceSplit> planBatch(long batchId, int parallelism) throws Exception {
    if (planned) {
      return List.of();
    }
    planned = true;
    long size = source.getEstimatedSizeBytes(options);
    // Always ask the source to split: some sources only learn their size by splitting.
    List<? extends BoundedSource<T>> bundles =
        source.split(Math.max(1, size / Math.max(1, parallelism)), options);
    List<SourceSplit> splits = new ArrayList<>(bundles.size());
    SerializablePipelineOptions serializableOptions = new SerializablePipelineOptions(options);
    for (BoundedSource<T> bundle : bundles) {
      splits.add(new BundleSplit<>(bundle, serializableOptions));
    }
    return splits;
  }

  /**
   * One bundle of the source: serializable (Beam sources are) so that a remote executor can read
   * it where the task runs.
   */
  private record BundleSplit<T>(BoundedSource<T> bundle, SerializablePipelineOptions options)
      implements SourceSplit {
    @Override
    public void read(Emitter output) throws Exception {
      try (BoundedSource.BoundedReader<T> reader = bundle.createReader(options.get())) {
        for (boolean more = reader.start(); more; more = reader.advance()) {
          output.emit(
              WindowedValues.timestampedValueInGlobalWindow(
                  reader.getCurrent(), reader.getCurrentTimestamp()));
        }
      }
    }
  }

  @Override
  public Instant watermark() {
    return planned ? BoundedWindow.TIMESTAMP_MAX_VALUE : BoundedWindow.TIMESTAMP_MIN_VALUE;
  }

  /** One byte: whether the input was already read (it is read whole, in one batch). */
  @Override
  public Optional<byte[]> position() {
    return Optional.of(new byte[] {(byte) (planned ? 1 : 0)});
  }

  @Override
  public void restore(byte[] position) {
    if (position.length != 1) {
      throw new IllegalArgumentException(
          "Not a position of this source: " + position.length + " bytes");
    }
    planned = position[0] == 1;
  }

  @Override
  public boolean isExhausted() {
    return planned;
  }
}
