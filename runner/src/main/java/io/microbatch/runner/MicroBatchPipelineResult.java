package io.microbatch.runner;

import io.microbatch.engine.exec.MicroBatchEngine;
import io.microbatch.engine.exec.PartitionsLostException;
import io.microbatch.engine.stats.BatchListener;
import io.microbatch.engine.stats.BatchStatistics;
import io.microbatch.runner.status.StatusServer;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.beam.sdk.Pipeline.PipelineExecutionException;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricResults;
import org.apache.beam.sdk.util.UserCodeException;
import org.joda.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A pipeline running on the micro-batch engine in a driver thread of its own. */
public final class MicroBatchPipelineResult implements PipelineResult {
  private static final Logger LOG = LoggerFactory.getLogger(MicroBatchPipelineResult.class);

  /** The engine of the current attempt: a recovery from a lost executor replaces it. */
  private volatile MicroBatchEngine engine;
  /** Builds the engine of a recovery attempt; null if the run does not recover. */
  private final Supplier<MicroBatchEngine> recovery;
  private final int maxRecoveries;
  private volatile int recoveries;
  private final CountDownLatch finished = new CountDownLatch(1);
  private volatile State state = State.RUNNING;
  private volatile boolean cancelRequested;
  private volatile Throwable failure;
  private volatile StatusServer statusServer;
  private volatile Thread driver;

  MicroBatchPipelineResult(MicroBatchEngine engine) {
    this(engine, null, 0);
  }

  /**
   * A run that recovers up to {@code maxRecoveries} times from a lost executor ({@link
   * PartitionsLostException}): each time with a new engine from {@code recovery}, which resumes
   * from the last checkpoint.
   */
  MicroBatchPipelineResult(
      MicroBatchEngine engine, Supplier<MicroBatchEngine> recovery, int maxRecoveries) {
    this.engine = engine;
    this.recovery = recovery;
    this.maxRecoveries = maxRecoveries;
  }

  /** The status page's server, stopped when the pipeline ends; set before {@link #start()}. */
  void attachStatusServer(StatusServer server) {
    this.statusServer = server;
  }

  void start() {
    driver = new Thread(this::drive, "microbatch-driver");
    driver.start();
  }

  private void drive() {
    try {
      runRecovering();
      state = cancelRequested ? State.CANCELLED : State.DONE;
    } catch (Throwable t) {
      LOG.error("Pipeline failed", t);
      failure = t;
      state = State.FAILED;
    } finally {
      StatusServer server = statusServer;
      if (server != null) {
        try {
          server.close();
        } catch (RuntimeException e) {
          LOG.warn("Cannot stop the status page's server", e);
        }
      }
      finished.countDown();
    }
  }

  /**
   * Runs the engine; if a batch fails because an executor holding keyed partitions was lost, and
   * recoveries are left, runs a new engine that resumes from the last checkpoint. The failed
   * engine has already aborted its batch and released what it held on the live executors.
   */
  private void runRecovering() throws Exception {
    while (true) {
      try {
        engine.run();
        return;
      } catch (PartitionsLostException e) {
        if (recovery == null || recoveries >= maxRecoveries || cancelRequested) {
          throw e;
        }
        recoveries++;
        long started = System.nanoTime();
        LOG.warn("Recovering from the last checkpoint ({} of at most {}): {}", recoveries,
            maxRecoveries, e.getMessage());
        MicroBatchEngine next = recovery.get();
        next.carryMetricsFrom(engine);
        engine = next;
        if (cancelRequested) {
          engine.cancel();
        }
        LOG.info("Recovery {}: new engine built in {} ms", recoveries,
            (System.nanoTime() - started) / 1_000_000);
      }
    }
  }

  /** How many times the run recovered from a lost executor. */
  public int recoveries() {
    return recoveries;
  }

  @Override
  public State getState() {
    return state;
  }

  /**
   * Stops the pipeline after the running batch and waits for it. Called from a {@link
   * BatchListener} (which runs on the driver thread, between batches) it only asks, without
   * waiting: the pipeline stops once the listener returns.
   */
  @Override
  public State cancel() {
    cancelRequested = true;
    engine.cancel();
    if (Thread.currentThread() == driver) {
      return state;
    }
    waitUntilFinish();
    return state;
  }

  @Override
  public State waitUntilFinish(Duration duration) {
    try {
      if (duration == null || duration.getMillis() < 1) {
        finished.await();
      } else if (!finished.await(duration.getMillis(), TimeUnit.MILLISECONDS)) {
        return null;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RuntimeException("Interrupted while waiting for the pipeline", e);
    }
    rethrowFailure();
    return state;
  }

  @Override
  public State waitUntilFinish() {
    return waitUntilFinish(Duration.ZERO);
  }

  private void rethrowFailure() {
    Throwable t = failure;
    if (t == null) {
      return;
    }
    // Users and Beam's tests expect the exception their own code threw.
    while (t instanceof UserCodeException && t.getCause() != null) {
      t = t.getCause();
    }
    throw new PipelineExecutionException(t);
  }

  @Override
  public MetricResults metrics() {
    return engine.metrics();
  }

  /**
   * Registers a listener told about every batch committed from now on (batches before the call
   * are in {@link #batchStatistics()}). It runs on the driver thread between batches: keep it quick.
   */
  public void addBatchListener(BatchListener listener) {
    engine.addBatchListener(listener);
  }

  /**
   * The status page's URL ({@code --statusPort}), with the port actually bound; empty when the
   * option is unset. The server stops when the pipeline ends or is cancelled.
   */
  public Optional<URI> statusUrl() {
    StatusServer server = statusServer;
    return server == null ? Optional.empty() : Optional.of(server.url());
  }

  /** Keyed partitions that still held state or timers when a finished run closed (should be 0). */
  int partitionsWithStateLeft() {
    return engine.partitionsWithStateLeft();
  }

  /**
   * Statistics of the most recent committed batches (up to 1,000), oldest first: scheduling delay,
   * processing time, rounds and records read per batch.
   */
  public List<BatchStatistics> batchStatistics() {
    return engine.recentBatches();
  }
}
