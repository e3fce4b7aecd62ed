package io.microbatch.engine.rate;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThan;

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
    long limit = controller.update(200, Duration.ofMillis(100), Duration.ofSeconds(60), SECOND);
    assertThat(limit, equalTo(10L));
    assertThat(limit, lessThan(200L));
  }
}
