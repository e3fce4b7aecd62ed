package io.microbatch.runner.recovery;

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
 * Runs a job's main class in a child JVM against a {@link CheckpointTarget}, kills it with SIGKILL
 * at seeded random moments, starts it again each time, and returns once a run finished on its own.
 * It knows nothing of the job: the caller checks the job's output afterwards. Every run's output
 * goes to {@code <logDir>/run-<n>.log} (older run logs there are deleted first); the seed and every
 * kill are logged.
 */
public final class CrashHarness {
  private static final Logger LOG = LoggerFactory.getLogger(CrashHarness.class);
  private static final int LOG_TAIL_LINES = 40;

  /**
   * How to crash a job.
   *
   * @param kills how many times to kill it (fewer if it finishes first)
   * @param seed seeds the kill moments, so a failing sequence can be replayed
   * @param minDelay earliest kill after a run's start (the JVM start counts)
   * @param maxDelay kills come before this, after a run's start
   * @param lastRunTimeout how long the final, uninterrupted run may take
   */
  public record Plan(int kills, long seed, Duration minDelay, Duration maxDelay, Duration lastRunTimeout) {
    public Plan {
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
  public record Outcome(int kills, int runs, Duration elapsed) {}

  private final Class<?> mainClass;
  private final List<String> jobArgs;
  private final CheckpointTarget target;
  private final Path logDir;
  private final String startedMarker;

  /**
   * Kill moments count from the engine's start ({@link #ENGINE_STARTED}).
   *
   * @param mainClass the job's main class; it must exit with 0 when the job finished
   * @param jobArgs its arguments; the target's options are appended
   */
  public CrashHarness(
      Class<?> mainClass, List<String> jobArgs, CheckpointTarget target, Path logDir) {
    this(mainClass, jobArgs, target, logDir, ENGINE_STARTED);
  }

  /**
   * @param startedMarker text of the run's first output line from which its kill delay counts
   *     (e.g. the engine's first committed batch)
   */
  public CrashHarness(
      Class<?> mainClass,
      List<String> jobArgs,
      CheckpointTarget target,
      Path logDir,
      String startedMarker) {
    this.mainClass = mainClass;
    this.jobArgs = List.copyOf(jobArgs);
    this.target = target;
    this.logDir = logDir;
    this.startedMarker = startedMarker;
  }

  /** Kills and restarts the job as planned, then lets it finish; fails if a run fails. */
  public Outcome run(Plan plan) throws Exception {
    LOG.info(
        "Crash test of {} on {} ({}): {} kills, seed {}, each {}-{} ms after a line with '{}'",
        mainClass.getSimpleName(),
        target.name(),
        target.uri(),
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
      try {
        // Kill moments count from the engine's start (state restored, batches about to run), so
        // that a slow JVM start on a busy machine does not make every kill land before it.
        boolean running = awaitMarker(job, log, plan.lastRunTimeout());
        if (!running || job.waitFor(delayMillis, TimeUnit.MILLISECONDS)) {
          // It finished before its kill: no later kill could change the result.
          checkFinished(job, log, runs);
          return outcome(killed, runs, start);
        }
      } finally {
        job.destroyForcibly().waitFor();
      }
      killed++;
      LOG.info(
          "Kill {} of {} on {} (seed {}): SIGKILL after {} ms (run {})",
          killed,
          plan.kills(),
          target.name(),
          plan.seed(),
          delayMillis,
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

  /** The line the engine logs once state is open, right before its first batch. */
  public static final String ENGINE_STARTED = "MicroBatchEngine - Running ";

  /** Waits until the run's log has the marker line; false if the process exited first. */
  private boolean awaitMarker(Process job, Path log, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      // Any byte decodes in ISO-8859-1: a half-written multi-byte character cannot fail the read.
      if (Files.exists(log)
          && Files.readString(log, StandardCharsets.ISO_8859_1).contains(startedMarker)) {
        return true;
      }
      if (job.waitFor(20, TimeUnit.MILLISECONDS)) {
        return false;
      }
    }
    throw new AssertionError(
        "No line with '" + startedMarker + "' within " + timeout + "; its output:\n" + tail(log));
  }

  private Outcome outcome(int killed, int runs, long startNanos) {
    Outcome outcome = new Outcome(killed, runs, Duration.ofNanos(System.nanoTime() - startNanos));
    LOG.info(
        "Crash test on {}: {} kills, then run {} finished; {} ms in all",
        target.name(),
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
    command.addAll(target.options());
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
    List<String> lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
  }
}
