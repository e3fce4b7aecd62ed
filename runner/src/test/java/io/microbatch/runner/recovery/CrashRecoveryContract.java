package io.microbatch.runner.recovery;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crash test, once per file system: {@link CrashTestJob} is killed with SIGKILL at seeded
 * random moments ({@link CrashHarness}), restarted from its checkpoints each time, and its final
 * output must equal an uninterrupted run's exactly. {@code -Dcrash.seed=S} replays a sequence of
 * kill moments; each file system has its own property for the number of kills.
 */
abstract class CrashRecoveryContract {

  /** Where this file system's checkpoints go; {@code dir} is local scratch space of the test. */
  abstract CheckpointTarget target(Path dir) throws Exception;

  /**
   * How many records the job reads. It checkpoints every batch of 20, so this sets how long an
   * uninterrupted run takes: about 60 checkpoints for the default, which a remote file system
   * publishes several times slower than a local disk.
   */
  long count() {
    return 1_200;
  }

  /** How many kills, from this file system's system property or its default. */
  abstract int kills();

  /** Earliest kill after a run's start; before it a run has not yet reached its first batch. */
  abstract Duration minDelay();

  /** Kills come before this, after a run's start. */
  abstract Duration maxDelay();

  @Test
  void killedAtRandomMomentsTheJobStillCountsEveryRecordExactlyOnce(@TempDir Path dir)
      throws Exception {
    Path out = dir.resolve("out");
    CrashHarness harness =
        new CrashHarness(
            CrashTestJob.class,
            List.of(out.toString(), Long.toString(count())),
            target(dir),
            // Outside the temporary directory, so the runs' output is there to read after a failure.
            Path.of("target", "crash-logs", getClass().getSimpleName()));
    long seed = Long.getLong("crash.seed", 20261126L);

    harness.run(
        new CrashHarness.Plan(kills(), seed, minDelay(), maxDelay(), Duration.ofMinutes(5)));

    assertThat(RecoveryTest.read(out), equalTo(RecoveryTest.expected(count())));
  }
}
