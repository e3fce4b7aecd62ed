package io.microbatch.runner.status;

import io.microbatch.engine.exec.MicroBatchEngine;
import io.microbatch.engine.graph.DatasetId;
import io.microbatch.engine.graph.Step;
import io.microbatch.engine.plan.Consumer;
import io.microbatch.engine.plan.Stage;
import io.microbatch.engine.stats.BatchListener;
import io.microbatch.engine.stats.BatchStatistics;
import io.microbatch.runner.status.StatusSnapshot.BatchView;
import io.microbatch.runner.status.StatusSnapshot.OutputView;
import io.microbatch.runner.status.StatusSnapshot.StageView;
import io.microbatch.runner.status.StatusSnapshot.StepView;
import io.microbatch.runner.status.StatusSnapshot.Totals;
import io.microbatch.runner.status.StatusSnapshot.WatermarkView;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.joda.time.Instant;

/**
 * Takes {@link StatusSnapshot}s of a running engine. Register it as a {@link BatchListener} before
 * the engine starts, so that its totals count every batch (the engine keeps only recent ones).
 * Snapshots are taken on the server's threads; they read only what the engine publishes safely.
 */
public final class StatusCollector implements BatchListener {
  /** Most batches one snapshot carries: five minutes at a one-second interval. */
  public static final int MAX_BATCHES = 300;

  private final MicroBatchEngine engine;
  private final boolean streaming;
  private final Duration batchInterval;
  private final Supplier<String> state;
  private final Clock clock;
  private final List<StageView> stageGraph;
  /** Totals over the batches up to and including {@code lastBatchId}, replaced as one. */
  private final AtomicReference<Tally> tally = new AtomicReference<>(new Tally(-1, 0, 0));

  private record Tally(long lastBatchId, long batches, long recordsRead) {}

  /**
   * @param engine the engine to watch
   * @param streaming whether the pipeline runs in streaming mode
   * @param batchInterval the configured batch interval
   * @param state the pipeline's current state, by name
   * @param clock the clock stamping snapshots
   */
  public StatusCollector(
      MicroBatchEngine engine,
      boolean streaming,
      Duration batchInterval,
      Supplier<String> state,
      Clock clock) {
    this.engine = engine;
    this.streaming = streaming;
    this.batchInterval = batchInterval;
    this.state = state;
    this.clock = clock;
    this.stageGraph = engine.stages().stream().map(StatusCollector::describe).toList();
  }

  @Override
  public void onBatchCommitted(BatchStatistics batch) {
    // Only the driver thread writes; readers see either the old or the new tally, never a mix.
    Tally t = tally.get();
    tally.set(new Tally(batch.batchId(), t.batches() + 1, t.recordsRead() + batch.recordsRead()));
  }

  /** The engine's status now. */
  public StatusSnapshot snapshot() {
    // The engine adds a batch to its history before it tells listeners: taking the tally first,
    // the history holds every batch the tally counts, and the batches after it are added here so
    // that totals and batch list agree.
    Tally counted = tally.get();
    List<BatchStatistics> recent = engine.recentBatches();
    long batches = counted.batches();
    long recordsRead = counted.recordsRead();
    for (BatchStatistics batch : recent) {
      if (batch.batchId() > counted.lastBatchId()) {
        batches++;
        recordsRead += batch.recordsRead();
      }
    }
    Map<String, Long> watermarks = watermarks(recent);
    List<StageView> stages = new ArrayList<>(stageGraph.size());
    for (StageView stage : stageGraph) {
      Long lowest = null;
      for (OutputView output : stage.outputs()) {
        Long wm = watermarks.get(output.dataset());
        if (wm != null && (lowest == null || wm < lowest)) {
          lowest = wm;
        }
      }
      stages.add(
          new StageView(
              stage.id(),
              stage.head(),
              stage.kind(),
              stage.steps(),
              stage.upstream(),
              stage.outputs(),
              lowest));
    }
    List<WatermarkView> watermarkViews = new ArrayList<>(watermarks.size());
    watermarks.forEach((dataset, millis) -> watermarkViews.add(watermarkView(dataset, millis)));
    return new StatusSnapshot(
        state.get(),
        streaming,
        batchInterval.toMillis(),
        clock.millis(),
        new Totals(batches, recordsRead),
        stages,
        watermarkViews,
        batchViews(recent));
  }

  /**
   * The watermarks the last committed batch recorded (published with the batch, so consistent),
   * or the engine's current ones before the first batch; in the order of the stage graph.
   */
  private Map<String, Long> watermarks(List<BatchStatistics> recent) {
    Map<String, Long> current = new LinkedHashMap<>();
    if (recent.isEmpty()) {
      for (Map.Entry<DatasetId, Instant> e : engine.watermarks().entrySet()) {
        current.put(e.getKey().toString(), e.getValue().getMillis());
      }
    } else {
      current.putAll(recent.get(recent.size() - 1).watermarks());
    }
    Map<String, Long> ordered = new LinkedHashMap<>();
    for (StageView stage : stageGraph) {
      for (OutputView output : stage.outputs()) {
        Long wm = current.remove(output.dataset());
        if (wm != null) {
          ordered.put(output.dataset(), wm);
        }
      }
    }
    current.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> ordered.put(e.getKey(), e.getValue()));
    return ordered;
  }

  private List<BatchView> batchViews(List<BatchStatistics> recent) {
    int from = Math.max(0, recent.size() - MAX_BATCHES);
    List<BatchView> views = new ArrayList<>(recent.size() - from);
    for (int i = from; i < recent.size(); i++) {
      BatchStatistics batch = recent.get(i);
      // A streaming batch reads what arrived in one interval (late batches start back to back, so
      // their actual start gaps would inflate the rate); a batch-mode batch reads while it runs.
      Duration span = streaming ? batchInterval : batch.processingTime();
      double seconds = Math.max(span.toMillis(), 1) / 1000.0;
      views.add(
          new BatchView(
              batch.batchId(),
              batch.start().toEpochMilli(),
              batch.recordsRead(),
              batch.recordsRead() / seconds,
              batch.processingTime().toMillis(),
              batch.schedulingDelay().toMillis(),
              batch.totalDelay().toMillis(),
              batch.rounds(),
              batch.recordsReadPerSource(),
              batch.intakeLimitPerSource(),
              batch.checkpointTime().toMillis(),
              batch.stateBytes(),
              batch.stateBytesPerStage()));
    }
    return views;
  }

  static WatermarkView watermarkView(String dataset, long millis) {
    String display;
    if (millis <= BoundedWindow.TIMESTAMP_MIN_VALUE.getMillis()) {
      display = "-inf";
    } else if (millis >= BoundedWindow.TIMESTAMP_MAX_VALUE.getMillis()) {
      display = "+inf";
    } else {
      display = java.time.Instant.ofEpochMilli(millis).toString();
    }
    return new WatermarkView(dataset, millis, display);
  }

  private static StageView describe(Stage stage) {
    List<StepView> steps = new ArrayList<>();
    steps.add(new StepView(stage.head().name(), kind(stage.head())));
    List<Step> producers = new ArrayList<>();
    producers.add(stage.head());
    for (Step.ElementStep step : stage.fused()) {
      if (step != stage.head()) {
        steps.add(new StepView(step.name(), kind(step)));
        producers.add(step);
      }
    }
    List<OutputView> outputs = new ArrayList<>();
    for (Step producer : producers) {
      for (DatasetId dataset : producer.outputs()) {
        List<String> consumers = new ArrayList<>();
        for (Consumer consumer : stage.edges().getOrDefault(dataset, List.of())) {
          consumers.add(consumer(consumer));
        }
        outputs.add(new OutputView(dataset.toString(), consumers));
      }
    }
    List<Integer> upstream = stage.upstream().stream().map(Stage::id).sorted().toList();
    return new StageView(
        stage.id(), stage.head().name(), kind(stage.head()), steps, upstream, outputs, null);
  }

  private static String consumer(Consumer consumer) {
    if (consumer instanceof Consumer.ToElement e) {
      return "step:" + e.step().name();
    } else if (consumer instanceof Consumer.ToShuffle s) {
      return "shuffle:" + s.target().id();
    } else if (consumer instanceof Consumer.ToBuffer b) {
      return "buffer:" + b.target().id();
    } else if (consumer instanceof Consumer.ToView v) {
      return "view:" + v.view();
    }
    throw new IllegalArgumentException("Unknown consumer " + consumer);
  }

  private static String kind(Step step) {
    if (step instanceof Step.SourceStep) {
      return "source";
    } else if (step instanceof Step.KeyedStep) {
      return "keyed";
    } else if (step instanceof Step.ViewStep) {
      return "view";
    } else if (step instanceof Step.UnionStep) {
      return "union";
    }
    return "element";
  }
}
