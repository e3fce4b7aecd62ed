package io.microbatch.engine.graph;

/** Names one dataset (a Beam PCollection) of the step graph. */
public record DatasetId(int id, String name) implements java.io.Serializable {
  @Override
  public String toString() {
    return name + "#" + id;
  }
}
