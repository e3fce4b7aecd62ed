package io.microbatch.engine.exec;

import io.microbatch.state.TimeSource;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.joda.time.Instant;

/** The watermarks and clock one keyed partition runs against; advanced by its task. */
final class PartitionTime implements TimeSource {
  private Instant inputWatermark = BoundedWindow.TIMESTAMP_MIN_VALUE;
  private Instant outputWatermark = BoundedWindow.TIMESTAMP_MIN_VALUE;
  private Instant processingTime = BoundedWindow.TIMESTAMP_MIN_VALUE;

  @Override
  public Instant inputWatermark() {
    return inputWatermark;
  }

  @Override
  public Instant outputWatermark() {
    return outputWatermark;
  }

  @Override
  public Instant processingTime() {
    return processingTime;
  }

  @Override
  public Instant synchronizedProcessingTime() {
    return processingTime;
  }

  /** Puts the partition back where a checkpoint found it. */
  void restore(Instant input, Instant output, Instant processing) {
    inputWatermark = input;
    outputWatermark = output;
    processingTime = processing;
  }

  void advanceInputWatermark(Instant watermark) {
    if (watermark.isAfter(inputWatermark)) {
      inputWatermark = watermark;
    }
  }

  void advanceOutputWatermark(Instant watermark) {
    if (watermark.isAfter(outputWatermark)) {
      outputWatermark = watermark;
    }
  }

  void advanceProcessingTime(Instant now) {
    if (now.isAfter(processingTime)) {
      processingTime = now;
    }
  }
}
