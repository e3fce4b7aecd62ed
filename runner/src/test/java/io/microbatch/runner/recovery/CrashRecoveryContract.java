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
   * How many records the job reads, 20 per 100 ms batch with a snapshot every third batch: 120
   * batches (at least 12 s) for the default. Long enough that every planned kill lands before the
   * job finishes.
   */
  long count() {
    return 2_400;
  }

  /** How many kills, from this file system's system property or its default. */
  abstract int kills();

  /** Earliest kill after a run's engine started (state restored, batches about to run). */
  abstract Duration minDelay();

  /** Kills come before this, after a run's engine started. */
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

    CrashHarness.Outcome outcome =
        harness.run(
            new CrashHarness.Plan(kills(), seed, minDelay(), maxDelay(), Duration.ofMinutes(5)));

    // A job that finished before its kills proves nothing about recovery.
    assertThat("kills that landed before the job finished", outcome.kills(), equalTo(kills()));
    // Every window's sums, each in exactly one published file: nothing lost, nothing twice.
    assertThat(
        WindowedCountsToFiles.publishedLines(out),
        equalTo(WindowedCountsToFiles.expectedLines(count())));
  }
}
