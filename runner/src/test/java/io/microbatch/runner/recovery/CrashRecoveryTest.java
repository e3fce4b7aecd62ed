package io.microbatch.runner.recovery;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kills the job's process with SIGKILL at random moments (seeded, logged), restarts it from its
 * checkpoint each time, and checks the final output equals an uninterrupted run's exactly. {@code
 * -Dcrash.kills=N} and {@code -Dcrash.seed=S} choose how many kills and which moments.
 */
class CrashRecoveryTest {
  private static final Logger LOG = LoggerFactory.getLogger(CrashRecoveryTest.class);
  private static final long COUNT = 1_200;

  private static Process start(Path checkpoints, Path out) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx512m");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(CrashTestJob.class.getName());
    command.add(checkpoints.toUri().toString());
    command.add(out.toString());
    command.add(Long.toString(COUNT));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
  }

  @Test
  void killedAtRandomMomentsTheJobStillCountsEveryRecordExactlyOnce(@TempDir Path dir)
      throws Exception {
    int kills = Integer.getInteger("crash.kills", 20);
    long seed = Long.getLong("crash.seed", 20261126L);
    Random random = new Random(seed);
    Path checkpoints = dir.resolve("checkpoints");
    Path out = dir.resolve("out");
    int killed = 0;
    boolean finished = false;
    while (killed < kills && !finished) {
      Process job = start(checkpoints, out);
      long delayMillis = 1_500 + random.nextInt(2_500);
      if (job.waitFor(delayMillis, TimeUnit.MILLISECONDS)) {
        finished = job.exitValue() == 0;
        assertThat("the job failed instead of finishing", job.exitValue(), equalTo(0));
      } else {
        job.destroyForcibly().waitFor();
        killed++;
        LOG.info("kill {} of {} (seed {}): SIGKILL after {} ms", killed, kills, seed, delayMillis);
      }
    }
    if (!finished) {
      Process last = start(checkpoints, out);
      assertThat("the last run did not end in time", last.waitFor(5, TimeUnit.MINUTES), equalTo(true));
      assertThat(last.exitValue(), equalTo(0));
    }
    LOG.info("{} kills, then the job finished", killed);
    assertThat(RecoveryTest.read(out), equalTo(RecoveryTest.expected(COUNT)));
  }
}
