package io.microbatch.kafka;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import org.apache.beam.sdk.PipelineResult;
import org.joda.time.Duration;

/** Ending streaming pipelines at the end of a test. */
final class KafkaPipelines {
  private KafkaPipelines() {}

  /** Cancels a running pipeline and waits (bounded) until it is cancelled. */
  static void stop(PipelineResult result) throws java.io.IOException {
    if (!result.getState().isTerminal()) {
      result.cancel();
    }
    PipelineResult.State state = result.waitUntilFinish(Duration.standardSeconds(20));
    assertThat(state, equalTo(PipelineResult.State.CANCELLED));
  }
}
