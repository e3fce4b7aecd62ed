package io.microbatch.engine.plan;

import io.microbatch.engine.graph.Step;
import io.microbatch.engine.graph.ViewId;

/** Where the elements of a dataset go inside a stage's partition task. */
public sealed interface Consumer extends java.io.Serializable {

  /** A fused element-wise step in the same task. */
  record ToElement(Step.ElementStep step) implements Consumer {}

  /** The shuffle into a keyed stage. */
  record ToShuffle(Stage target) implements Consumer {}

  /** The input buffer of a stage headed by a step that waits for side inputs. */
  record ToBuffer(Stage target) implements Consumer {}

  /** A side input view. */
  record ToView(ViewId view) implements Consumer {}
}
