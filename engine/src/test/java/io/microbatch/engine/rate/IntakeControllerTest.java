package io.microbatch.engine.rate;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class IntakeControllerTest {
  private static final Duration INTERVAL = Duration.ofMillis(100);
  private static final long SECOND = 1_000_000_000L;

  @Test
  void noLimitUntilABatchWithRecordsWasMeasured() {
    IntakeController controller = IntakeController.withDefaultGains(INTERVAL);
    assertThat(controller.update(0, Duration.ofMillis(5), Duration.ZERO, 0), equalTo(Long.MAX_VALUE));
  }

  @Test
  void intakeFollowsWhatThePipelineProcessesPerInterval() {
    IntakeController controller = IntakeController.withDefaultGains(INTERVAL);
    // 1,000 records in 500 ms: 2,000 records/s, so 200 per 100 ms interval.
    assertThat(controller.update(1_000, Duration.ofMillis(500), Duration.ZERO, 0), equalTo(200L));
    assertThat(controller.update(200, Duration.ofMillis(100), Duration.ZERO, SECOND), equalTo(200L));
  }

  @Test
  void schedulingDelayDrainsTheBacklogByReadingLess() {
    IntakeController controller = IntakeController.withDefaultGains(INTERVAL);
    controller.update(200, Duration.ofMillis(100), Duration.ZERO, 0);
    long limit = controller.update(200, Duration.ofMillis(100), Duration.ofMillis(100), SECOND);
    // Integral term: 0.2 x (100 ms delay x 2,000/s / 100 ms) = 400/s less, so 160 per interval.
    assertThat(limit, equalTo(160L));
  }

  @Test
  void intakeNeverDropsBelowTheMinimumRate() {
    IntakeController controller = IntakeController.withDefaultGains(INTERVAL);
    controller.update(200, Duration.ofMillis(100), Duration.ZERO, 0);
    long limit = Long.MAX_VALUE;
    for (int i = 1; i <= 20; i++) {
      limit = controller.update(200, Duration.ofMillis(100), Duration.ofSeconds(60), i * SECOND);
    }
    // 100 records/s is 10 per 100 ms interval.
    assertThat(limit, equalTo(10L));
  }

  @Test
  void oneSlowBatchAtAShortIntervalAtMostHalvesTheIntake() {
    IntakeController controller = IntakeController.withDefaultGains(Duration.ofMillis(10));
    // 500 records in 5 ms: 100,000 records/s, 1,000 per 10 ms interval.
    assertThat(controller.update(500, Duration.ofMillis(5), Duration.ZERO, 0), equalTo(1_000L));
    // A 300 ms stall: without the guard the backlog term alone would cut the rate to the floor.
    long limit = controller.update(1_000, Duration.ofMillis(300), Duration.ofMillis(290), SECOND);
    assertThat(limit, equalTo(500L));
  }

  @Test
  void schedulingDelayLeftBySlowCheckpointsDoesNotStarveTheIntake() {
    IntakeController controller = IntakeController.withDefaultGains(INTERVAL);
    assertThat(controller.update(200, Duration.ofMillis(20), Duration.ZERO, 0), equalTo(1_000L));
    // Checkpoints of 500 ms after every batch make every batch start late; processing is quick.
    long limit = 0;
    for (int i = 1; i <= 10; i++) {
      limit = controller.update(1_000, Duration.ofMillis(20), Duration.ofMillis(500 * i), i * SECOND);
    }
    assertThat(limit, greaterThanOrEqualTo(1_000L));
  }

  @Test
  void checkpointsLongerThanTheIntervalDoNotStarveTheIntake() {
    IntakeController controller = IntakeController.withDefaultGains(Duration.ofMillis(10));
    // 50 records in 5 ms: 10,000 records/s, 100 per 10 ms interval.
    assertThat(controller.update(50, Duration.ofMillis(5), Duration.ZERO, 0), equalTo(100L));
    long limit = 0;
    for (int i = 1; i <= 20; i++) {
      // Each batch processes in 6 ms, then checkpoints for 30 ms: every batch starts later.
      limit = controller.update(100, Duration.ofMillis(6), Duration.ofMillis(26 * i),
          Duration.ofMillis(30), i * SECOND);
    }
    assertThat(limit, greaterThanOrEqualTo(100L));
  }

  @Test
  void aBatchThatFitsItsIntervalNeverLowersTheIntake() {
    IntakeController controller = IntakeController.withDefaultGains(INTERVAL);
    assertThat(controller.update(1_000, Duration.ofMillis(50), Duration.ZERO, 0), equalTo(2_000L));
    // Only 10 records arrived and took 40 ms (mostly fixed per-batch cost): 250 records/s
    // measured, yet the pipeline kept up, so the limit stays.
    assertThat(controller.update(10, Duration.ofMillis(40), Duration.ZERO, SECOND), equalTo(2_000L));
  }
}
