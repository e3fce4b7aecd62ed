package io.microbatch.translation.sources;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.microbatch.engine.clock.ManualClock;
import io.microbatch.engine.source.BatchSource;
import io.microbatch.engine.source.SourceSplit;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.io.CountingSource;
import org.apache.beam.sdk.io.UnboundedSource;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.WindowedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/** Sources report where they are and resume there in a new instance, as recovery needs. */
class SourcePositionTest {

  private static List<Object> read(BatchSource source, long batchId, int parallelism)
      throws Exception {
    List<Object> values = new ArrayList<>();
    for (SourceSplit split : source.planBatch(batchId, parallelism)) {
      split.read(element -> values.add(((WindowedValue<?>) element).getValue()));
    }
    return values;
  }

  @Test
  void anUnboundedSourceResumesAfterTheLastRecordItRead() throws Exception {
    PipelineOptions options =
        PipelineOptionsFactory.fromArgs("--maxRecordsPerBatch=5").as(UnboundedReadOptions.class);
    UnboundedSource<Long, ?> counting = CountingSource.unbounded();
    UnboundedSourceAdapter<Long, ?> first = new UnboundedSourceAdapter<>(counting, options);
    List<Object> firstBatch = read(first, 0, 1);
    assertThat(firstBatch, contains(0L, 1L, 2L, 3L, 4L));
    byte[] position = first.position().orElseThrow();
    first.close();

    UnboundedSourceAdapter<Long, ?> resumed = new UnboundedSourceAdapter<>(counting, options);
    resumed.restore(position);
    assertThat(read(resumed, 1, 1), contains(5L, 6L, 7L, 8L, 9L));
    resumed.close();
  }

  @Test
  void anUnboundedSourceRefusesAPositionWithAnotherSplitCount() throws Exception {
    PipelineOptions options =
        PipelineOptionsFactory.fromArgs("--maxRecordsPerBatch=4").as(UnboundedReadOptions.class);
    UnboundedSource<Long, ?> counting = CountingSource.unbounded();
    UnboundedSourceAdapter<Long, ?> first = new UnboundedSourceAdapter<>(counting, options);
    read(first, 0, 2);
    byte[] position = first.position().orElseThrow();
    first.close();

    UnboundedSourceAdapter<Long, ?> resumed = new UnboundedSourceAdapter<>(counting, options);
    resumed.restore(position);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> read(resumed, 1, 3));
    assertThat(e.getMessage(), containsString("--parallelism"));
  }

  @Test
  void aTestStreamResumesAtItsNextEventWithItsWatermarkAndClock() throws Exception {
    TestStream<Long> stream =
        TestStream.create(VarLongCoder.of())
            .addElements(1L)
            .advanceWatermarkTo(new Instant(100))
            .advanceProcessingTime(Duration.standardSeconds(5))
            .addElements(2L)
            .advanceWatermarkToInfinity();
    ManualClock clock = new ManualClock();
    TestStreamSource<Long> first = new TestStreamSource<>(stream, clock);
    read(first, 0, 1);
    read(first, 1, 1);
    read(first, 2, 1);
    byte[] position = first.position().orElseThrow();

    ManualClock restartedClock = new ManualClock();
    TestStreamSource<Long> resumed = new TestStreamSource<>(stream, restartedClock);
    resumed.restore(position);
    assertThat(resumed.watermark(), equalTo(new Instant(100)));
    assertThat(restartedClock.now(), equalTo(clock.now()));
    assertThat(read(resumed, 3, 1), contains(2L));
  }

  @Test
  void aBoundedSourceReadBeforeTheCheckpointIsNotReadAgain() throws Exception {
    PipelineOptions options = PipelineOptionsFactory.create();
    BoundedSourceAdapter<Long> first =
        new BoundedSourceAdapter<>(CountingSource.upTo(3), options);
    assertThat(read(first, 0, 1), contains(0L, 1L, 2L));
    BoundedSourceAdapter<Long> resumed =
        new BoundedSourceAdapter<>(CountingSource.upTo(3), options);
    resumed.restore(first.position().orElseThrow());
    assertThat(read(resumed, 1, 1), empty());
    assertThat(resumed.watermark(), equalTo(BoundedWindow.TIMESTAMP_MAX_VALUE));
  }
}
