package io.microbatch.engine.exec;

import io.microbatch.engine.graph.DatasetId;
import io.microbatch.engine.graph.Step;
import io.microbatch.engine.graph.StepGraph;
import io.microbatch.engine.graph.ViewId;
import io.microbatch.engine.plan.Stage;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.values.WindowedValue;

/**
 * What a remote executor needs once per job to run any partition task of it: every stage with its
 * operator chain (Java-serialized once, shipped as a broadcast), the partition count of each keyed
 * stage, and the Beam coders of every dataset that crosses the wire (stage inputs and view
 * inputs), so records travel coder-encoded. Built on the driver, which checks here, before any
 * data moves, that every step can travel.
 */
public final class RemoteProgram implements Serializable {
  private static final long serialVersionUID = 1L;

  private final List<Stage> stages;
  private final Map<Integer, Integer> keyedPartitions;
  /** By stage id: the coder of a keyed stage's shuffled input or of a buffered stage's input. */
  private final Map<Integer, Coder<WindowedValue<?>>> inputCoders;
  private final Map<ViewId, Coder<WindowedValue<?>>> viewCoders;
  private final Set<ViewId> triggeredViews;

  private RemoteProgram(
      List<Stage> stages,
      Map<Integer, Integer> keyedPartitions,
      Map<Integer, Coder<WindowedValue<?>>> inputCoders,
      Map<ViewId, Coder<WindowedValue<?>>> viewCoders,
      Set<ViewId> triggeredViews) {
    this.stages = stages;
    this.keyedPartitions = keyedPartitions;
    this.inputCoders = inputCoders;
    this.viewCoders = viewCoders;
    this.triggeredViews = triggeredViews;
  }

  /**
   * The program of {@code stages}, every keyed stage having {@code partitions} partitions.
   *
   * @throws IllegalArgumentException naming the step, if a step cannot be serialized or a dataset
   *     that crosses the wire has no coder
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static RemoteProgram of(StepGraph graph, List<Stage> stages, int partitions) {
    Map<Integer, Integer> keyed = new HashMap<>();
    Map<Integer, Coder<WindowedValue<?>>> inputCoders = new HashMap<>();
    for (Stage stage : stages) {
      Step head = stage.head();
      checkSerializable(head);
      for (Step.ElementStep step : stage.fused()) {
        checkSerializable(step);
      }
      if (head instanceof Step.KeyedStep keyedStep) {
        keyed.put(stage.id(), partitions);
        inputCoders.put(stage.id(), coderOf(graph, keyedStep.input(), head));
      } else if (head instanceof Step.ElementStep element) {
        Coder<WindowedValue<?>> coder = coderOf(graph, element.inputs().get(0), head);
        for (DatasetId input : element.inputs()) {
          if (!coder.equals(coderOf(graph, input, head))) {
            throw new IllegalArgumentException("Step '" + head.name() + "' reads inputs with "
                + "different coders, which a remote executor cannot receive as one buffer");
          }
        }
        inputCoders.put(stage.id(), coder);
      }
    }
    Map<ViewId, Coder<WindowedValue<?>>> viewCoders = new HashMap<>();
    Set<ViewId> triggered = new HashSet<>();
    for (Step step : graph.steps()) {
      if (step instanceof Step.ViewStep view) {
        viewCoders.put(view.view(), coderOf(graph, view.input(), step));
        if (view.triggered()) {
          triggered.add(view.view());
        }
      }
    }
    return new RemoteProgram(
        new ArrayList<>(stages), keyed, inputCoders, viewCoders, triggered);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Coder<WindowedValue<?>> coderOf(StepGraph graph, DatasetId dataset, Step step) {
    Coder coder = graph.coder(dataset);
    if (coder == null) {
      throw new IllegalArgumentException("Step '" + step.name() + "' reads dataset " + dataset
          + ", which has no coder; a remote executor needs one to receive its records");
    }
    return coder;
  }

  /** Serializes the step alone, so that a failure names the step rather than the whole job. */
  private static void checkSerializable(Step step) {
    try (ObjectOutputStream out = new ObjectOutputStream(OutputStream.nullOutputStream())) {
      out.writeObject(step);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("Step '" + step.name() + "' cannot run on a remote "
          + "executor: it does not serialize (" + e + ")", e);
    }
  }

  /**
   * Closes every operator factory of this copy of the program (DoFn teardown happens there), as
   * the engine does with its own at the end of a run. Meant for the copies remote executors
   * deserialized; failures are logged-worthy, not fatal, so all are attempted and the first
   * thrown with the others suppressed.
   */
  public void closeOperators() throws Exception {
    Exception failure = null;
    for (Stage stage : stages) {
      List<AutoCloseable> factories = new ArrayList<>();
      if (stage.head() instanceof Step.KeyedStep keyed) {
        factories.add(keyed.factory());
      }
      for (Step.ElementStep step : stage.fused()) {
        factories.add(step.factory());
      }
      for (AutoCloseable factory : factories) {
        try {
          factory.close();
        } catch (Exception e) {
          if (failure == null) {
            failure = e;
          } else {
            failure.addSuppressed(e);
          }
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  /** The stage with this id. */
  Stage stage(int id) {
    for (Stage stage : stages) {
      if (stage.id() == id) {
        return stage;
      }
    }
    throw new IllegalArgumentException("No stage " + id + " in this program");
  }

  /** Keyed stages and their partition counts, as a partition task routes its shuffle output. */
  Map<Stage, Integer> keyedPartitions() {
    Map<Stage, Integer> byStage = new HashMap<>();
    keyedPartitions.forEach((id, partitions) -> byStage.put(stage(id), partitions));
    return byStage;
  }

  Coder<WindowedValue<?>> inputCoder(Stage stage) {
    Coder<WindowedValue<?>> coder = inputCoders.get(stage.id());
    if (coder == null) {
      throw new IllegalArgumentException(stage + " takes no records from other stages");
    }
    return coder;
  }

  Coder<WindowedValue<?>> viewCoder(ViewId view) {
    return viewCoders.get(view);
  }

  boolean isTriggered(ViewId view) {
    return triggeredViews.contains(view);
  }
}
