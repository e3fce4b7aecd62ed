package io.microbatch.kafka;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link ThroughputPipeline} in one configuration over an input topic and measures it (see
 * {@link KafkaThroughputBenchmark}).
 */
final class ThroughputRun {
  private static final Logger LOG = LoggerFactory.getLogger(ThroughputRun.class);
  /** How long to keep watching the output after the last expected count, for anything extra. */
  private static final Duration SETTLE = Duration.ofSeconds(1);
  /** A run that neither reads nor writes for this long is stopped as stalled. */
  private static final Duration STALL = Duration.ofSeconds(20);

  private final EmbeddedKafkaBroker kafka;
  private final int partitions;

  ThroughputRun(EmbeddedKafkaBroker kafka, int partitions) {
    this.kafka = kafka;
    this.partitions = partitions;
  }

  /** What one run measured. */
  record Result(
      ThroughputConfig config,
      long input,
      long consumed,
      int expectedResults,
      int results,
      long countedRecords,
      long startupMillis,
      long readMillis,
      long lastResultMillis,
      long millis,
      boolean complete,
      boolean endedOnItsOwn,
      String finalState,
      double loadBefore,
      double loadAfter) {

    /**
     * Input records per second from the first record to the last expected result; for an
     * incomplete run, the records consumed per second until it was stopped (timeout or stall).
     */
    double recordsPerSecond() {
      return millis <= 0 ? 0 : (complete ? input : consumed) * 1000.0 / millis;
    }

    String json() {
      return KafkaThroughputBenchmark.format(
          "{\"config\":\"%s\",\"runner\":\"%s\",\"read\":\"%s\",\"write\":\"%s\","
              + "\"batchIntervalMillis\":%s,\"maxRecordsPerBatch\":%s,\"checkpointDir\":%b,"
              + "\"backpressure\":%s,\"records\":%d,\"consumed\":%d,\"complete\":%b,"
              + "\"results\":%d,\"expectedResults\":%d,\"countedRecords\":%d,"
              + "\"startupMs\":%d,\"readMs\":%d,\"lastResultMs\":%d,\"ms\":%d,"
              + "\"recordsPerSecond\":%.0f,\"endedOnItsOwn\":%b,\"state\":\"%s\","
              + "\"loadBefore\":%.2f,\"loadAfter\":%.2f}",
          config.name(), config.runner(), config.read(), config.write(),
          config.direct() ? "null" : Integer.toString(config.batchIntervalMillis()),
          config.direct() ? "null" : Integer.toString(config.maxRecordsPerBatch()),
          config.checkpoints() && !config.direct(),
          config.direct() ? "null" : Boolean.toString(config.backpressure()),
          input, consumed, complete, results, expectedResults, countedRecords,
          startupMillis, readMillis, lastResultMillis, millis, recordsPerSecond(),
          endedOnItsOwn, finalState, loadBefore, loadAfter);
    }
  }

  Result run(
      ThroughputConfig config,
      String inputTopic,
      int perPartition,
      int expectedResults,
      String label,
      Duration timeout)
      throws Exception {
    String outputTopic = label + "-out";
    kafka.createTopic(outputTopic, partitions);
    Path checkpoints = Files.createTempDirectory("kafka-bench-checkpoints-");
    Pipeline pipeline =
        ThroughputPipeline.create(
            ThroughputPipeline.options(config, checkpoints.toUri().toString()),
            config,
            kafka.bootstrapServers(),
            inputTopic,
            perPartition,
            outputTopic);
    ThroughputProbe.reset();
    double loadBefore = KafkaThroughputBenchmark.loadAverage();
    LOG.info("Running {} (load average {})", label, loadBefore);
    try (OutputTopicWatcher watcher =
        new OutputTopicWatcher(
            KafkaTestClients.readCommittedConsumer(kafka), outputTopic, partitions)) {
      long started = System.currentTimeMillis();
      PipelineResult result = pipeline.run();
      long deadline = started + timeout.toMillis();
      List<OutputTopicWatcher.Arrival> arrivals = watcher.arrivals();
      long input = (long) perPartition * partitions;
      long allReadAt = 0;
      long lastProgressAt = started;
      long lastConsumed = 0;
      int lastArrivals = 0;
      while (arrivals.size() < expectedResults
          && System.currentTimeMillis() < deadline
          && !failed(result)) {
        Thread.sleep(50);
        arrivals = watcher.arrivals();
        long now = System.currentTimeMillis();
        long consumedSoFar = ThroughputProbe.records();
        if (allReadAt == 0 && consumedSoFar >= input) {
          allReadAt = now;
        }
        if (consumedSoFar != lastConsumed || arrivals.size() != lastArrivals) {
          lastConsumed = consumedSoFar;
          lastArrivals = arrivals.size();
          lastProgressAt = now;
        } else if (now - lastProgressAt > STALL.toMillis() && lastConsumed > 0) {
          // Nothing read and nothing written for this long: the rest will not come (e.g. a window
          // that never closes); do not wait for the timeout.
          LOG.warn("{}: no progress for {}, stopping it", label, STALL);
          break;
        }
      }
      long stopped = System.currentTimeMillis();
      boolean complete = arrivals.size() >= expectedResults;
      long first = ThroughputProbe.firstMillis();
      long end = complete ? arrivals.get(expectedResults - 1).arrivedMillis() : stopped;
      long consumed = ThroughputProbe.records();
      // The legacy read's job ends by itself once the input is read (its watermark reached the
      // end of time); the SDF read's restrictions are open-ended, so that job runs until cancelled.
      boolean endedOnItsOwn =
          complete
              && result.waitUntilFinish(org.joda.time.Duration.standardSeconds(10))
                  == PipelineResult.State.DONE;
      if (!KafkaThroughputBenchmark.terminal(result)) {
        result.cancel();
        result.waitUntilFinish(org.joda.time.Duration.standardSeconds(30));
      }
      Thread.sleep(SETTLE.toMillis());
      List<OutputTopicWatcher.Arrival> all = watcher.arrivals();
      return new Result(
          config,
          input,
          consumed,
          expectedResults,
          all.size(),
          all.stream().mapToLong(ThroughputRun::countOf).sum(),
          first == 0 ? -1 : first - started,
          first == 0 || allReadAt == 0 ? -1 : allReadAt - first,
          // When the last result seen so far arrived: for a run that stalled short of the expected
          // results, the end of what it did write.
          first == 0 || arrivals.isEmpty()
              ? -1
              : arrivals.get(arrivals.size() - 1).arrivedMillis() - first,
          first == 0 ? -1 : end - first,
          complete,
          endedOnItsOwn,
          result.getState().toString(),
          loadBefore,
          KafkaThroughputBenchmark.loadAverage());
    } finally {
      KafkaThroughputBenchmark.deleteRecursively(checkpoints);
    }
  }

  private static boolean failed(PipelineResult result) {
    PipelineResult.State state = result.getState();
    return state == PipelineResult.State.FAILED || state == PipelineResult.State.CANCELLED;
  }

  /** The count of a {@code key@windowStart=count} record. */
  private static long countOf(OutputTopicWatcher.Arrival arrival) {
    String r = arrival.record();
    return Long.parseLong(r.substring(r.indexOf('=') + 1));
  }
}
