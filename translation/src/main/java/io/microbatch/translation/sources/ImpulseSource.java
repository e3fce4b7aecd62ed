package io.microbatch.translation.sources;

import io.microbatch.engine.source.PositionPlannedSource;
import io.microbatch.engine.source.SourceSplit;
import java.util.List;
import java.util.Optional;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.WindowedValues;
import org.joda.time.Instant;

/** Beam's Impulse: one empty byte array in the global window, in the first batch. */
public final class ImpulseSource implements PositionPlannedSource {
  private boolean emitted;

  @Override
  public List<SourceSplit> planBatch(long batchId, int parallelism) {
    if (emitted) {
      return List.of();
    }
    emitted = true;
    return List.of(output -> output.emit(WindowedValues.valueInGlobalWindow(new byte[0])));
  }

  @Override
  public Instant watermark() {
    return emitted ? BoundedWindow.TIMESTAMP_MAX_VALUE : BoundedWindow.TIMESTAMP_MIN_VALUE;
  }

  /** One byte: whether the input was already read (it is read whole, in one batch). */
  @Override
  public Optional<byte[]> position() {
    return Optional.of(new byte[] {(byte) (emitted ? 1 : 0)});
  }

  @Override
  public void restore(byte[] position) {
    if (position.length != 1) {
      throw new IllegalArgumentException(
          "Not a position of this source: " + position.length + " bytes");
    }
    emitted = position[0] == 1;
  }

  @Override
  public boolean isExhausted() {
    return emitted;
  }
}
