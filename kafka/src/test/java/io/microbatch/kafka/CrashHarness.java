package io.microbatch.kafka;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a job's main class in a child JVM (its arguments name the checkpoint directory), kills it
 * with SIGKILL at seeded random moments, starts it again each time, and returns once a run finished
 * on its own. Kill moments count from the first line of a run's output that contains a marker the
 * caller names (e.g. the job's first batch), not from the JVM's start: on a loaded machine a JVM
 * can take longer to reach its first batch than the whole kill window, and a kill before the job
 * runs proves nothing about recovery. It knows nothing of the job but that marker: the caller
 * checks the job's output afterwards. Every run's output goes to {@code <logDir>/run-<n>.log}
 * (older run logs there are deleted first); the seed and every kill are logged. Adapted from the
 * runner's test class {@code recovery.CrashHarness} (another module's tests cannot be reached from
 * here), without its checkpoint targets: the job's arguments carry what it needs.
 */
final class CrashHarness {
  private static final Logger LOG = LoggerFactory.getLogger(CrashHarness.class);
  private static final int LOG_TAIL_LINES = 40;

  /**
   * How to crash a job.
   *
   * @param kills how many times to kill it (fewer if it finishes first)
   * @param seed seeds the kill moments, so a failing sequence can be replayed
   * @param minDelay earliest kill after the run's marker line appeared
   * @param maxDelay kills come before this, after the marker line
   * @param lastRunTimeout how long the final, uninterrupted run may take
   */
  record Plan(int kills, long seed, Duration minDelay, Duration maxDelay, Duration lastRunTimeout) {
    Plan {
      if (kills < 0 || minDelay.compareTo(maxDelay) >= 0) {
        throw new IllegalArgumentException("Bad crash plan " + this);
      }
    }

    int delayRangeMillis() {
      return Math.toIntExact(maxDelay.toMillis() - minDelay.toMillis());
    }
  }

  /**
   * What happened.
   *
   * @param kills how many runs were killed
   * @param runs how many runs were started, the finishing one included
   * @param elapsed from the first start to the end of the finishing run
   */
  record Outcome(int kills, int runs, Duration elapsed) {}

  private final Class<?> mainClass;
  private final List<String> jobArgs;
  private final Path logDir;
  private final String startedMarker;

  /**
   * @param mainClass the job's main class; it must exit with 0 when the job finished
   * @param jobArgs its arguments
   * @param startedMarker text of the output line from which a run's kill delay counts
   */
  CrashHarness(Class<?> mainClass, List<String> jobArgs, Path logDir, String startedMarker) {
    this.mainClass = mainClass;
    this.jobArgs = List.copyOf(jobArgs);
    this.logDir = logDir;
    this.startedMarker = startedMarker;
  }

  /** Kills and restarts the job as planned, then lets it finish; fails if a run fails. */
  Outcome run(Plan plan) throws Exception {
    LOG.info(
        "Crash test of {}: {} kills, seed {}, each {}-{} ms after a line with '{}'",
        mainClass.getSimpleName(),
        plan.kills(),
        plan.seed(),
        plan.minDelay().toMillis(),
        plan.maxDelay().toMillis(),
        startedMarker);
    Files.createDirectories(logDir);
    try (var old = Files.newDirectoryStream(logDir, "run-*.log")) {
      for (Path log : old) {
        Files.delete(log);
      }
    }
    Random random = new Random(plan.seed());
    long start = System.nanoTime();
    int killed = 0;
    int runs = 0;
    while (killed < plan.kills()) {
      long delayMillis = plan.minDelay().toMillis() + random.nextInt(plan.delayRangeMillis());
      Path log = logDir.resolve("run-" + ++runs + ".log");
      Process job = start(log);
      long startedAfterMillis;
      try {
        startedAfterMillis = awaitMarker(job, log, plan.lastRunTimeout());
        if (job.waitFor(delayMillis, TimeUnit.MILLISECONDS)) {
          // It finished before its kill: no later kill could change the result.
          checkFinished(job, log, runs);
          return outcome(killed, runs, start);
        }
      } finally {
        job.destroyForcibly().waitFor();
      }
      killed++;
      LOG.info(
          "Kill {} of {} of {} (seed {}): SIGKILL {} ms after its first marker line, which came"
              + " {} ms after the start (run {})",
          killed,
          plan.kills(),
          mainClass.getSimpleName(),
          plan.seed(),
          delayMillis,
          startedAfterMillis,
          runs);
    }
    Path log = logDir.resolve("run-" + ++runs + ".log");
    Process last = start(log);
    try {
      if (!last.waitFor(plan.lastRunTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError(
            "The last run did not finish within " + plan.lastRunTimeout() + "; its output:\n"
                + tail(log));
      }
      checkFinished(last, log, runs);
    } finally {
      last.destroyForcibly().waitFor();
    }
    return outcome(killed, runs, start);
  }

  /**
   * Waits until the run's output has a line with the marker (or the run ended); returns how long
   * that took.
   */
  private long awaitMarker(Process job, Path log, Duration timeout) throws Exception {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    while (job.isAlive()) {
      // The log is small until the first batch; reading it whole every few ms is cheap.
      if (Files.readString(log, StandardCharsets.ISO_8859_1).contains(startedMarker)) {
        break;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "No line with '" + startedMarker + "' within " + timeout + "; the run's output:\n"
                + tail(log));
      }
      Thread.sleep(20);
    }
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
  }

  private Outcome outcome(int killed, int runs, long startNanos) {
    Outcome outcome = new Outcome(killed, runs, Duration.ofNanos(System.nanoTime() - startNanos));
    LOG.info(
        "Crash test of {}: {} kills, then run {} finished; {} ms in all",
        mainClass.getSimpleName(),
        killed,
        runs,
        outcome.elapsed().toMillis());
    return outcome;
  }

  private Process start(Path log) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx512m");
    // Timestamps in the run logs show where a run spent its time before the kill.
    command.add("-Dorg.slf4j.simpleLogger.showDateTime=true");
    command.add("-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass.getName());
    command.addAll(jobArgs);
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }

  private static void checkFinished(Process job, Path log, int run) throws IOException {
    if (job.exitValue() != 0) {
      throw new AssertionError(
          "Run " + run + " failed (exit " + job.exitValue() + ") instead of finishing; its output:\n"
              + tail(log));
    }
  }

  private static String tail(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
  }
}
