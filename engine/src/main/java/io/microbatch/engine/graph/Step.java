package io.microbatch.engine.graph;

import io.microbatch.engine.operator.ElementOperatorFactory;
import io.microbatch.engine.operator.KeyEncoder;
import io.microbatch.engine.operator.KeyedOperatorFactory;
import io.microbatch.engine.source.BatchSource;
import java.util.List;

/**
 * One node of the step graph: what the engine runs, knowing nothing of Beam's pipeline graph.
 * Steps are serializable so that a stage's operator chain can be shipped to a remote executor
 * (issue #10); a source step travels without its source, which stays on the driver.
 */
public sealed interface Step extends java.io.Serializable {

  /** The user-visible step name; metrics are reported under it. */
  String name();

  /** The datasets this step reads as its main input, in order (a dataset may repeat). */
  List<DatasetId> inputs();

  /** The datasets this step produces. */
  List<DatasetId> outputs();

  /** A root: reads a slice of an external source each batch. */
  record SourceStep(String name, BatchSource source, DatasetId output) implements Step {
    /**
     * Serialized without its source: sources are planned on the driver and only their splits
     * travel, so a remote copy of a stage needs the step's name and output only.
     */
    private Object writeReplace() {
      return source == null ? this : new SourceStep(name, null, output);
    }

    @Override
    public List<DatasetId> inputs() {
      return List.of();
    }

    @Override
    public List<DatasetId> outputs() {
      return List.of(output);
    }
  }

  /**
   * Transforms elements one at a time. Without side inputs it is fused into its producers' stages;
   * with side inputs it heads a stage of its own so its input can wait for the views.
   */
  record ElementStep(
      String name,
      List<DatasetId> inputs,
      ElementOperatorFactory factory,
      List<DatasetId> outputs,
      List<ViewId> sideInputs)
      implements Step {}

  /** The union of its inputs (Flatten); the planner resolves it away, it never runs. */
  record UnionStep(String name, List<DatasetId> inputs, DatasetId output) implements Step {
    @Override
    public List<DatasetId> outputs() {
      return List.of(output);
    }
  }

  /** Runs per key after a shuffle by the encoded key, with keyed state and timers. */
  record KeyedStep(
      String name,
      DatasetId input,
      KeyEncoder keyEncoder,
      KeyedOperatorFactory factory,
      List<DatasetId> outputs,
      List<ViewId> sideInputs)
      implements Step {
    @Override
    public List<DatasetId> inputs() {
      return List.of(input);
    }
  }

  /**
   * Materializes its input, per window, as a side input view. A {@code triggered} view (its input
   * fires panes before the window closes) is readable as soon as a window has a pane and then
   * shows the latest pane; otherwise a window is readable once the input's watermark passed it.
   */
  record ViewStep(String name, DatasetId input, ViewId view, boolean triggered) implements Step {
    @Override
    public List<DatasetId> inputs() {
      return List.of(input);
    }

    @Override
    public List<DatasetId> outputs() {
      return List.of();
    }
  }
}
