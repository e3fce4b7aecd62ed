package io.microbatch.runner;

import io.microbatch.engine.exec.EngineConfig;
import io.microbatch.engine.exec.MicroBatchEngine;
import io.microbatch.engine.exec.TaskExecutor;
import io.microbatch.engine.graph.StepGraph;
import io.microbatch.runner.status.StatusCollector;
import io.microbatch.runner.status.StatusServer;
import io.microbatch.translation.PipelineTranslator;
import io.microbatch.translation.TranslatorRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineRunner;
import org.apache.beam.sdk.metrics.MetricsEnvironment;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsValidator;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.event.Level;

/**
 * Runs a Beam pipeline on the MicroBatch engine: validates the options, translates the pipeline
 * into a stage graph and starts the batch loop. Select it with {@code --runner=MicroBatchRunner}.
 */
public class MicroBatchRunner extends PipelineRunner<MicroBatchPipelineResult> {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final MicroBatchPipelineOptions options;

  protected MicroBatchRunner(MicroBatchPipelineOptions options) {
    this.options = options;
  }

  /** Creates the runner; bad options fail here, naming the option. */
  public static MicroBatchRunner fromOptions(PipelineOptions options) {
    return new MicroBatchRunner(validate(options));
  }

  static MicroBatchPipelineOptions validate(PipelineOptions options) {
    MicroBatchPipelineOptions mb =
        PipelineOptionsValidator.validate(MicroBatchPipelineOptions.class, options);
    if (mb.getParallelism() <= 0) {
      throw new IllegalArgumentException(
          "--parallelism must be a positive number of threads, was " + mb.getParallelism());
    }
    if (mb.getBatchIntervalMillis() <= 0) {
      throw new IllegalArgumentException(
          "--batchIntervalMillis must be positive, was " + mb.getBatchIntervalMillis());
    }
    if (mb.getMaxRecordsPerBatch() <= 0) {
      throw new IllegalArgumentException(
          "--maxRecordsPerBatch must be positive, was " + mb.getMaxRecordsPerBatch());
    }
    if (mb.getMaxRecordsPerSecond() < 0) {
      throw new IllegalArgumentException(
          "--maxRecordsPerSecond must be 0 (no limit) or positive, was "
              + mb.getMaxRecordsPerSecond());
    }
    Integer statusPort = mb.getStatusPort();
    if (statusPort != null && (statusPort < 0 || statusPort > 65535)) {
      throw new IllegalArgumentException(
          "--statusPort must be in 0..65535 (0 picks a free port), was " + statusPort);
    }
    if (statusPort != null && (mb.getStatusAddress() == null || mb.getStatusAddress().isBlank())) {
      throw new IllegalArgumentException("--statusAddress must not be empty");
    }
    StateBackends.forName(mb.getStateBackend());
    TaskExecutors.checkKnown(mb.getExecutor());
    if (mb.getCheckpointIntervalBatches() <= 0) {
      throw new IllegalArgumentException(
          "--checkpointIntervalBatches must be positive, was " + mb.getCheckpointIntervalBatches());
    }
    if (mb.getCheckpointsRetained() <= 0) {
      throw new IllegalArgumentException(
          "--checkpointsRetained must be positive, was " + mb.getCheckpointsRetained());
    }
    if (mb.getCheckpointDir() != null && "memory".equals(mb.getStateBackend())) {
      throw new IllegalArgumentException(
          "--checkpointDir needs --stateBackend=rocksdb; the memory backend cannot snapshot state");
    }
    // Fails here rather than at run(), when the checkpoint directory is opened.
    DirectoryCheckpointer.checkHadoopConf(mb.getCheckpointHadoopConf());
    try {
      Level.valueOf(mb.getBatchLogLevel());
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException(
          "--batchLogLevel must be one of TRACE, DEBUG, INFO, WARN, ERROR, was "
              + mb.getBatchLogLevel());
    }
    return mb;
  }

  @Override
  public MicroBatchPipelineResult run(Pipeline pipeline) {
    MicroBatchPipelineOptions runOptions = roundTrip(options);
    MetricsEnvironment.setMetricsSupported(true);
    MicroBatchEngine engine = newEngine(pipeline, runOptions);
    boolean recovers = !TaskExecutors.LOCAL.equals(runOptions.getExecutor())
        && runOptions.getCheckpointDir() != null && runOptions.getExecutorLossRecoveries() > 0;
    MicroBatchPipelineResult result = recovers
        ? new MicroBatchPipelineResult(engine, () -> newEngine(pipeline, runOptions),
            runOptions.getExecutorLossRecoveries())
        : new MicroBatchPipelineResult(engine);
    if (runOptions.getStatusPort() != null) {
      result.attachStatusServer(startStatusServer(runOptions, engine, result));
    }
    result.start();
    return result;
  }

  /**
   * Translates the pipeline and builds an engine for it, with its executor and checkpointer. Also
   * how a run recovers from a lost executor: a fresh translation (fresh sources, which resume
   * from the checkpoint's positions) and a fresh engine that restores the last checkpoint.
   */
  private static MicroBatchEngine newEngine(
      Pipeline pipeline, MicroBatchPipelineOptions runOptions) {
    StepGraph graph =
        new PipelineTranslator(TranslatorRegistry.standard())
            .translate(pipeline, runOptions, runOptions.getParallelism());
    EngineConfig config =
        new EngineConfig(
            runOptions.getParallelism(),
            runOptions.isStreaming(),
            Duration.ofMillis(runOptions.getBatchIntervalMillis()),
            graph.clock(),
            StateBackends.forOptions(runOptions),
            runOptions.getBackpressure(),
            Level.valueOf(runOptions.getBatchLogLevel()));
    MicroBatchEngine engine;
    if (TaskExecutors.LOCAL.equals(runOptions.getExecutor())) {
      engine = new MicroBatchEngine(graph, config);
    } else {
      RemoteExecutionCheck.check(runOptions, graph);
      TaskExecutor executor =
          TaskExecutors.create(runOptions.getExecutor(), runOptions, runOptions.getParallelism());
      try {
        engine = new MicroBatchEngine(graph, config, executor);
      } catch (RuntimeException e) {
        // A step that cannot travel: stop what the executor started (a Spark context).
        executor.close();
        throw e;
      }
    }
    if (runOptions.getCheckpointDir() != null) {
      try {
        engine.checkpointWith(
            DirectoryCheckpointer.open(runOptions, graph, config.stateBackend()));
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "Cannot use --checkpointDir=" + runOptions.getCheckpointDir() + ": " + e.getMessage(),
            e);
      }
    }
    return engine;
  }

  /** Starts the status page's server before the first batch, so it sees every batch. */
  private static StatusServer startStatusServer(
      MicroBatchPipelineOptions options,
      MicroBatchEngine engine,
      MicroBatchPipelineResult result) {
    StatusCollector collector =
        new StatusCollector(
            engine,
            options.isStreaming(),
            Duration.ofMillis(options.getBatchIntervalMillis()),
            () -> result.getState().name(),
            Clock.systemUTC());
    engine.addBatchListener(collector);
    InetSocketAddress address =
        new InetSocketAddress(options.getStatusAddress(), options.getStatusPort());
    if (address.isUnresolved()) {
      throw new IllegalArgumentException(
          "--statusAddress '" + options.getStatusAddress() + "' does not resolve to an address");
    }
    try {
      return StatusServer.start(address, collector::snapshot);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "The status page cannot listen on --statusAddress "
              + options.getStatusAddress()
              + " --statusPort "
              + options.getStatusPort()
              + ": "
              + e.getMessage(),
          e);
    }
  }

  /** Options pass through JSON as on a cluster, so that unserializable options fail early. */
  private static MicroBatchPipelineOptions roundTrip(MicroBatchPipelineOptions options) {
    try {
      return MAPPER
          .readValue(MAPPER.writeValueAsBytes(options), PipelineOptions.class)
          .as(MicroBatchPipelineOptions.class);
    } catch (IOException e) {
      throw new IllegalArgumentException("The pipeline options cannot be serialized to JSON", e);
    }
  }

  @Override
  public String toString() {
    return "MicroBatchRunner";
  }
}
