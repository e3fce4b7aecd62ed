package io.microbatch.engine.watermark;

import io.microbatch.engine.graph.DatasetId;
import io.microbatch.engine.graph.Step;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.joda.time.Instant;

/**
 * The single owner of every dataset's watermark. Heads of stages (sources, keyed steps, steps
 * waiting for side inputs) report the output watermark they reached; every other step's output
 * watermark is the minimum of its inputs'. Watermarks never move backwards.
 */
public final class WatermarkTracker {
  private final List<Step> steps;
  private final Map<DatasetId, Instant> datasets = new HashMap<>();
  private final Map<Step, Instant> headOutputs = new IdentityHashMap<>();

  public WatermarkTracker(List<Step> steps) {
    this.steps = steps;
    for (Step step : steps) {
      for (DatasetId out : step.outputs()) {
        datasets.put(out, BoundedWindow.TIMESTAMP_MIN_VALUE);
      }
    }
  }

  /** True for steps whose output watermark is reported rather than derived. */
  public static boolean isHead(Step step) {
    return step instanceof Step.SourceStep
        || step instanceof Step.KeyedStep
        || (step instanceof Step.ElementStep element && !element.sideInputs().isEmpty());
  }

  /** Records the output watermark a head reached. */
  public void reportHeadOutput(Step head, Instant watermark) {
    headOutputs.put(head, watermark);
  }

  /** The minimum of the step's input watermarks (end of time for a step without inputs). */
  public Instant inputWatermark(Step step) {
    Instant min = BoundedWindow.TIMESTAMP_MAX_VALUE;
    for (DatasetId input : step.inputs()) {
      Instant wm = of(input);
      if (wm.isBefore(min)) {
        min = wm;
      }
    }
    return min;
  }

  public Instant of(DatasetId dataset) {
    return datasets.getOrDefault(dataset, BoundedWindow.TIMESTAMP_MIN_VALUE);
  }

  /** Propagates reported head watermarks through the graph; returns true if anything moved. */
  public boolean recompute() {
    boolean moved = false;
    for (Step step : steps) {
      Instant out =
          isHead(step)
              ? headOutputs.getOrDefault(step, BoundedWindow.TIMESTAMP_MIN_VALUE)
              : inputWatermark(step);
      for (DatasetId dataset : step.outputs()) {
        Instant previous = datasets.get(dataset);
        if (out.isAfter(previous)) {
          datasets.put(dataset, out);
          moved = true;
        }
      }
    }
    return moved;
  }

  /** True once every dataset's watermark reached the end of time. */
  public boolean allAtEndOfTime() {
    return datasets.values().stream()
        .allMatch(wm -> !wm.isBefore(BoundedWindow.TIMESTAMP_MAX_VALUE));
  }

  /** Every dataset's watermark, for diagnostics. */
  public Map<DatasetId, Instant> snapshot() {
    return Map.copyOf(datasets);
  }
}
