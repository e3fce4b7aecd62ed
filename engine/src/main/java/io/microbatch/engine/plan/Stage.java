package io.microbatch.engine.plan;

import io.microbatch.engine.graph.DatasetId;
import io.microbatch.engine.graph.Step;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A unit of scheduling: a head (source, keyed step, or step waiting for side inputs) and the
 * element-wise steps fused behind it, run together in one task per partition.
 */
public final class Stage implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  private final int id;
  private final Step head;
  private final List<Step.ElementStep> fused = new ArrayList<>();
  private final Map<DatasetId, List<Consumer>> edges = new LinkedHashMap<>();
  private final Set<Stage> upstream = new LinkedHashSet<>();

  Stage(int id, Step head) {
    this.id = id;
    this.head = head;
  }

  public int id() {
    return id;
  }

  public Step head() {
    return head;
  }

  /** Element-wise steps of this stage in topological order (the head too, if element-wise). */
  public List<Step.ElementStep> fused() {
    return Collections.unmodifiableList(fused);
  }

  /** For every dataset produced in this stage, where its elements go. */
  public Map<DatasetId, List<Consumer>> edges() {
    return Collections.unmodifiableMap(edges);
  }

  /** The stages that must run before this one in a round. */
  public Set<Stage> upstream() {
    return Collections.unmodifiableSet(upstream);
  }

  void addFused(Step.ElementStep step) {
    fused.add(step);
  }

  void addEdge(DatasetId dataset, Consumer consumer) {
    edges.computeIfAbsent(dataset, d -> new ArrayList<>()).add(consumer);
  }

  void addUpstream(Stage stage) {
    upstream.add(stage);
  }

  @Override
  public String toString() {
    return "Stage" + id + "[" + head.name() + "]";
  }
}
