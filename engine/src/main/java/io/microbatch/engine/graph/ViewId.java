package io.microbatch.engine.graph;

/** Names one materialized side input of the step graph. */
public record ViewId(int id, String name) implements java.io.Serializable {
  @Override
  public String toString() {
    return name + "#" + id;
  }
}
