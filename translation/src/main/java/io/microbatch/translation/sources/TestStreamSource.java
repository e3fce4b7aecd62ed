package io.microbatch.translation.sources;

import io.microbatch.engine.clock.ManualClock;
import io.microbatch.engine.source.PositionPlannedSource;
import io.microbatch.engine.source.SourceSplit;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.WindowedValues;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Replays a {@link TestStream}: one event per batch, so the pipeline is quiescent before the next
 * event applies, as TestStream requires. Elements are emitted, watermark events move the source's
 * watermark, processing-time events move the pipeline's manual clock. After the last event the
 * watermark is at the end of time.
 */
public final class TestStreamSource<T> implements PositionPlannedSource {
  private final List<TestStream.Event<T>> events;
  private final ManualClock clock;
  private int next;
  private Instant watermark = BoundedWindow.TIMESTAMP_MIN_VALUE;

  public TestStreamSource(TestStream<T> stream, ManualClock clock) {
    this.events = stream.getEvents();
    this.clock = clock;
  }

  @Override
  public List<SourceSplit> planBatch(long batchId, int parallelism) {
    if (isExhausted()) {
      return List.of();
    }
    TestStream.Event<T> event = events.get(next++);
    if (event instanceof TestStream.ElementEvent<T> elements) {
      Iterable<TimestampedValue<T>> values = elements.getElements();
      return List.of(
          output -> {
            for (TimestampedValue<T> value : values) {
              output.emit(
                  WindowedValues.timestampedValueInGlobalWindow(
                      value.getValue(), value.getTimestamp()));
            }
          });
    } else if (event instanceof TestStream.WatermarkEvent<T> mark) {
      watermark = mark.getWatermark();
    } else if (event instanceof TestStream.ProcessingTimeEvent<T> advance) {
      clock.advance(advance.getProcessingTimeAdvance());
    }
    return List.of();
  }

  @Override
  public Instant watermark() {
    return isExhausted() ? BoundedWindow.TIMESTAMP_MAX_VALUE : watermark;
  }

  /** The next event's index, the watermark and the manual clock's time. */
  @Override
  public Optional<byte[]> position() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(next);
      out.writeLong(watermark.getMillis());
      out.writeLong(clock.now().getMillis());
    }
    return Optional.of(bytes.toByteArray());
  }

  @Override
  public void restore(byte[] position) throws IOException {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(position))) {
      int index = in.readInt();
      if (index < 0 || index > events.size()) {
        throw new IllegalArgumentException(
            "The checkpoint is at event " + index + " of a TestStream with " + events.size());
      }
      next = index;
      watermark = new Instant(in.readLong());
      clock.advance(new Duration(clock.now(), new Instant(in.readLong())));
    }
  }

  @Override
  public boolean isExhausted() {
    return next >= events.size();
  }
}
