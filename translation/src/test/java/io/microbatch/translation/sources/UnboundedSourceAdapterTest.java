package io.microbatch.translation.sources;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import io.microbatch.engine.source.SourceSplit;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.CountingSource;
import org.apache.beam.sdk.io.UnboundedSource;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.WindowedValue;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

class UnboundedSourceAdapterTest {

  private static PipelineOptions options(long maxRecordsPerBatch) {
    PipelineOptions options = PipelineOptionsFactory.create();
    options.as(UnboundedReadOptions.class).setMaxRecordsPerBatch(maxRecordsPerBatch);
    return options;
  }

  private static <T> List<List<T>> readBatch(UnboundedSourceAdapter<?, ?> adapter, long batchId)
      throws Exception {
    List<List<T>> perSplit = new ArrayList<>();
    for (SourceSplit split : adapter.planBatch(batchId, 3)) {
      List<T> values = new ArrayList<>();
      split.read(
          element -> {
            @SuppressWarnings("unchecked")
            WindowedValue<T> value = (WindowedValue<T>) element;
            assertThat(value.getWindows(), contains(GlobalWindow.INSTANCE));
            values.add(value.getValue());
          });
      perSplit.add(values);
    }
    return perSplit;
  }

  @Test
  void dividesTheBatchBudgetAmongSplitsRotatingTheRemainder() throws Exception {
    UnboundedSource<Long, CountingSource.CounterMark> source = CountingSource.unbounded();
    try (UnboundedSourceAdapter<Long, CountingSource.CounterMark> adapter =
        new UnboundedSourceAdapter<>(source, options(4))) {
      List<List<Long>> first = readBatch(adapter, 0);
      List<List<Long>> second = readBatch(adapter, 1);
      List<List<Long>> third = readBatch(adapter, 2);

      // Three splits (stride 3), 4 records a batch: shares 2,1,1 then 1,2,1 then 1,1,2.
      assertThat(first, equalTo(List.of(List.of(0L, 3L), List.of(1L), List.of(2L))));
      assertThat(second, equalTo(List.of(List.of(6L), List.of(4L, 7L), List.of(5L))));
      assertThat(third, equalTo(List.of(List.of(9L), List.of(10L), List.of(8L, 11L))));
    }
  }

  @Test
  void keepsEachSplitsLastCheckpointMarkEncodedWithTheSourceCoder() throws Exception {
    UnboundedSource<Long, CountingSource.CounterMark> source = CountingSource.unbounded();
    try (UnboundedSourceAdapter<Long, CountingSource.CounterMark> adapter =
        new UnboundedSourceAdapter<>(source, options(6))) {
      readBatch(adapter, 0);
      readBatch(adapter, 1);

      List<byte[]> marks = adapter.encodedCheckpointMarks();
      assertThat(marks, hasSize(3));
      List<Long> lastEmitted = new ArrayList<>();
      for (byte[] mark : marks) {
        lastEmitted.add(
            CoderUtils.decodeFromByteArray(source.getCheckpointMarkCoder(), mark).getLastEmitted());
      }
      assertThat(lastEmitted, equalTo(List.of(9L, 10L, 11L)));
    }
  }

  @Test
  void reportsTheMinimumSplitWatermarkAndIsExhaustedOnlyAtTheEndOfTime() throws Exception {
    // Timestamps equal the values, so each split's watermark is its last value.
    UnboundedSource<Long, CountingSource.CounterMark> source =
        CountingSource.unboundedWithTimestampFn(Instant::new);
    try (UnboundedSourceAdapter<Long, CountingSource.CounterMark> adapter =
        new UnboundedSourceAdapter<>(source, options(6))) {
      assertThat(adapter.watermark(), equalTo(BoundedWindow.TIMESTAMP_MIN_VALUE));
      assertThat(adapter.encodedCheckpointMarks(), equalTo(List.of()));
      readBatch(adapter, 0);
      assertThat(adapter.watermark(), equalTo(new Instant(3)));
      assertThat(adapter.isExhausted(), equalTo(false));
    }
  }

  @Test
  void takesNoMarkForASplitWithoutShare() throws Exception {
    UnboundedSource<Long, CountingSource.CounterMark> source = CountingSource.unbounded();
    try (UnboundedSourceAdapter<Long, CountingSource.CounterMark> adapter =
        new UnboundedSourceAdapter<>(source, options(1))) {
      readBatch(adapter, 0);
      List<byte[]> marks = adapter.encodedCheckpointMarks();
      assertThat(marks.get(1), nullValue());
      assertThat(marks.get(2), nullValue());
    }
  }
}
