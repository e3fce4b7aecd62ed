package io.microbatch.engine.plan;

import io.microbatch.engine.graph.DatasetId;
import io.microbatch.engine.graph.Step;
import io.microbatch.engine.graph.StepGraph;
import io.microbatch.engine.graph.ViewId;
import io.microbatch.engine.watermark.WatermarkTracker;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Cuts the step graph into stages: every head starts one, and element-wise steps are fused into
 * each stage that reaches them. Unions are resolved away: a consumer of a union consumes each of
 * its inputs. Returns the stages in an order where every stage follows those it depends on.
 */
public final class StagePlanner {

  public List<Stage> plan(StepGraph graph) {
    List<Step> steps = graph.steps();
    Map<Step, Integer> order = new IdentityHashMap<>();
    for (int i = 0; i < steps.size(); i++) {
      order.put(steps.get(i), i);
    }
    Map<DatasetId, List<Step>> consumers = new HashMap<>();
    for (Step step : steps) {
      for (DatasetId input : step.inputs()) {
        consumers.computeIfAbsent(input, d -> new ArrayList<>()).add(step);
      }
    }
    Map<Step, Stage> stageOfHead = new LinkedHashMap<>();
    for (Step step : steps) {
      if (WatermarkTracker.isHead(step)) {
        stageOfHead.put(step, new Stage(stageOfHead.size(), step));
      }
    }
    Map<ViewId, Stage> viewWriters = new HashMap<>();
    for (Stage stage : stageOfHead.values()) {
      fuse(stage, consumers, stageOfHead, viewWriters, order);
    }
    for (Stage stage : stageOfHead.values()) {
      for (ViewId view : sideInputsOf(stage.head())) {
        Stage writer = viewWriters.get(view);
        if (writer != null) {
          stage.addUpstream(writer);
        }
      }
    }
    return topologicalOrder(new ArrayList<>(stageOfHead.values()));
  }

  private static List<ViewId> sideInputsOf(Step step) {
    if (step instanceof Step.ElementStep element) {
      return element.sideInputs();
    }
    if (step instanceof Step.KeyedStep keyed) {
      return keyed.sideInputs();
    }
    return List.of();
  }

  private void fuse(
      Stage stage,
      Map<DatasetId, List<Step>> consumers,
      Map<Step, Stage> stageOfHead,
      Map<ViewId, Stage> viewWriters,
      Map<Step, Integer> order) {
    Set<Step> members = new HashSet<>();
    List<Step.ElementStep> fused = new ArrayList<>();
    if (stage.head() instanceof Step.ElementStep head) {
      members.add(head);
      fused.add(head);
    }
    Deque<DatasetId> pending = new ArrayDeque<>(stage.head().outputs());
    while (!pending.isEmpty()) {
      DatasetId dataset = pending.poll();
      for (Step consumer : resolve(dataset, consumers)) {
        if (consumer instanceof Step.ElementStep element && element.sideInputs().isEmpty()) {
          stage.addEdge(dataset, new Consumer.ToElement(element));
          if (members.add(element)) {
            fused.add(element);
            pending.addAll(element.outputs());
          }
        } else if (consumer instanceof Step.ElementStep) {
          Stage target = stageOfHead.get(consumer);
          stage.addEdge(dataset, new Consumer.ToBuffer(target));
          target.addUpstream(stage);
        } else if (consumer instanceof Step.KeyedStep) {
          Stage target = stageOfHead.get(consumer);
          stage.addEdge(dataset, new Consumer.ToShuffle(target));
          target.addUpstream(stage);
        } else if (consumer instanceof Step.ViewStep view) {
          stage.addEdge(dataset, new Consumer.ToView(view.view()));
          viewWriters.put(view.view(), stage);
        } else {
          throw new IllegalStateException("Cannot consume " + dataset + " by " + consumer);
        }
      }
    }
    fused.sort(Comparator.comparing(order::get));
    fused.forEach(stage::addFused);
  }

  /** The consumers of a dataset with unions looked through (a union's consumers consume it). */
  private static List<Step> resolve(DatasetId dataset, Map<DatasetId, List<Step>> consumers) {
    List<Step> resolved = new ArrayList<>();
    for (Step consumer : consumers.getOrDefault(dataset, List.of())) {
      if (consumer instanceof Step.UnionStep union) {
        resolved.addAll(resolve(union.output(), consumers));
      } else {
        resolved.add(consumer);
      }
    }
    return resolved;
  }

  private static List<Stage> topologicalOrder(List<Stage> stages) {
    List<Stage> ordered = new ArrayList<>();
    Set<Stage> done = new HashSet<>();
    while (ordered.size() < stages.size()) {
      boolean progressed = false;
      for (Stage stage : stages) {
        if (!done.contains(stage) && done.containsAll(stage.upstream())) {
          ordered.add(stage);
          done.add(stage);
          progressed = true;
        }
      }
      if (!progressed) {
        throw new IllegalStateException("The stage graph has a cycle: " + stages);
      }
    }
    return ordered;
  }
}
