package io.microbatch.translation.operators;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.microbatch.engine.graph.DatasetId;
import io.microbatch.engine.graph.StepGraph;
import io.microbatch.engine.operator.ElementOperator;
import io.microbatch.engine.operator.Emitter;
import io.microbatch.engine.operator.OperatorContext;
import io.microbatch.engine.view.ViewReader;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.runners.core.metrics.MetricsContainerImpl;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.MetricsContainer;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.transforms.windowing.TimestampCombiner;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.WindowedValue;
import org.apache.beam.sdk.values.WindowedValues;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

class PartialCombineOperatorFactoryTest {
  private final DatasetId out = new StepGraph().newDataset("out");
  private final List<WindowedValue<?>> emitted = new ArrayList<>();

  private OperatorContext context() {
    MetricsContainer metrics = new MetricsContainerImpl("partial");
    return new OperatorContext() {
      @Override
      public int partition() {
        return 0;
      }

      @Override
      public Emitter output(DatasetId dataset) {
        return emitted::add;
      }

      @Override
      public MetricsContainer metrics() {
        return metrics;
      }

      @Override
      public ViewReader views() {
        throw new UnsupportedOperationException("no side inputs here");
      }

      @Override
      public void afterCommit(Runnable callback) {
        throw new UnsupportedOperationException("nothing to finalize here");
      }

      @Override
      public void pushBack(WindowedValue<?> element) {
        throw new UnsupportedOperationException("no side inputs here");
      }
    };
  }

  private static WindowedValue<KV<String, Integer>> value(
      String key, int value, long timestamp, BoundedWindow window) {
    return WindowedValues.of(
        KV.of(key, value), new Instant(timestamp), window, PaneInfo.NO_FIRING);
  }

  @Test
  void oneAccumulatorPerKeyAndWindowCrossesTheShuffle() throws Exception {
    IntervalWindow first = new IntervalWindow(new Instant(0), new Instant(100));
    IntervalWindow second = new IntervalWindow(new Instant(100), new Instant(200));
    ElementOperator operator =
        new PartialCombineOperatorFactory<String, Integer, int[]>(
                Sum.ofIntegers(), StringUtf8Coder.of(), TimestampCombiner.EARLIEST, out)
            .create(context());
    operator.startBundle();
    for (int i = 0; i < 1000; i++) {
      operator.process(value(i % 2 == 0 ? "even" : "odd", i, 10 + i % 50, first));
    }
    operator.process(value("odd", 7, 150, second));
    assertThat(emitted, hasSize(0));
    operator.finishBundle();

    List<String> summaries = new ArrayList<>();
    for (WindowedValue<?> element : emitted) {
      @SuppressWarnings("unchecked")
      KV<String, int[]> kv = (KV<String, int[]>) element.getValue();
      summaries.add(
          kv.getKey()
              + "="
              + kv.getValue()[0]
              + "@"
              + element.getTimestamp().getMillis()
              + " in "
              + element.getWindows().iterator().next().maxTimestamp().getMillis());
    }
    // Sums of even and odd 0..999; timestamps are the earliest of each key's values.
    assertThat(summaries, containsInAnyOrder("even=249500@10 in 99", "odd=250000@11 in 99", "odd=7@150 in 199"));
  }

  @Test
  void endOfWindowTimestampCombinerStampsTheWindowEnd() throws Exception {
    IntervalWindow window = new IntervalWindow(new Instant(0), new Instant(100));
    ElementOperator operator =
        new PartialCombineOperatorFactory<String, Integer, int[]>(
                Sum.ofIntegers(), StringUtf8Coder.of(), TimestampCombiner.END_OF_WINDOW, out)
            .create(context());
    operator.startBundle();
    operator.process(value("k", 1, 5, window));
    operator.process(value("k", 2, 50, window));
    operator.finishBundle();
    assertThat(emitted, hasSize(1));
    assertThat(emitted.get(0).getTimestamp(), equalTo(window.maxTimestamp()));
  }

  @Test
  void aBundleWithManyKeysFlushesBeforeItEnds() throws Exception {
    IntervalWindow window = new IntervalWindow(new Instant(0), new Instant(100));
    ElementOperator operator =
        new PartialCombineOperatorFactory<String, Integer, int[]>(
                Sum.ofIntegers(), StringUtf8Coder.of(), TimestampCombiner.EARLIEST, out)
            .create(context());
    operator.startBundle();
    for (int i = 0; i < PartialCombineOperatorFactory.MAX_SLOTS; i++) {
      operator.process(value("k" + i, 1, 5, window));
    }
    assertThat(emitted, hasSize(PartialCombineOperatorFactory.MAX_SLOTS));
    operator.finishBundle();
    assertThat(emitted, hasSize(PartialCombineOperatorFactory.MAX_SLOTS));
  }
}
