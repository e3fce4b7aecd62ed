package io.microbatch.kafka;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;

import io.microbatch.checkpoint.CheckpointDirectory;
import io.microbatch.engine.checkpoint.BatchLogEntry;
import io.microbatch.engine.stats.BatchStatistics;
import io.microbatch.runner.MicroBatchPipelineResult;
import io.microbatch.translation.sources.UnboundedSourceAdapter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.io.kafka.KafkaCheckpointMark;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where KafkaIO's offsets live on this runner: in the runner's checkpoints (the legacy reader's
 * checkpoint marks in the source position, the SDF read's offset restrictions in keyed state), not
 * in Kafka. A job restarted from its checkpoint directory goes on where it stopped, although no
 * consumer group offsets exist and {@code auto.offset.reset} says earliest.
 */
class KafkaCheckpointRestartTest {
  private static final int PARTITIONS = 4;
  private static final int PER_PHASE = 100;
  /** Offsets read per run: "run/partition:offset". */
  private static final Set<String> READ = ConcurrentHashMap.newKeySet();

  private static EmbeddedKafkaBroker kafka;

  @BeforeAll
  static void startBroker() {
    kafka = EmbeddedKafkaBroker.start();
  }

  @AfterAll
  static void stopBroker() {
    kafka.close();
  }

  /** Remembers each record's partition and offset under the run's name. */
  static final class RecordOffsets extends DoFn<KafkaRecord<String, String>, Void> {
    private final String run;

    RecordOffsets(String run) {
      this.run = run;
    }

    @ProcessElement
    public void process(@Element KafkaRecord<String, String> record) {
      READ.add(run + "/" + record.getPartition() + ":" + record.getOffset());
    }
  }

  @Test
  void legacyReadResumesFromTheCheckpointedReaderMarks(@TempDir Path checkpoints)
      throws Exception {
    resumesFromCheckpoint("restart-legacy", checkpoints, List.of(), read -> read);
  }

  /**
   * The write-ahead log says where each batch ended in every Kafka partition: each logged batch's
   * entry holds the legacy reader's checkpoint marks (next offset per partition), and from one
   * batch to the next the offsets advance by exactly the records the batch read.
   */
  @Test
  void legacyReadLogsTheOffsetsEachBatchEndedAtPerPartition(@TempDir Path checkpoints)
      throws Exception {
    String topic = "offsets-log";
    kafka.createTopic(topic, PARTITIONS);
    produce(topic);
    MicroBatchPipelineResult run =
        (MicroBatchPipelineResult)
            pipeline(
                    topic,
                    topic,
                    checkpoints,
                    // Old log entries go with the snapshots they precede: keep them all here.
                    List.of("--maxRecordsPerBatch=40", "--checkpointsRetained=1000"),
                    read -> read)
                .run();
    List<BatchStatistics> batches;
    try {
      awaitOffsets(topic, 0, PER_PHASE);
      KafkaPipelines.awaitBatches(run, 2, java.time.Duration.ofSeconds(30));
    } finally {
      batches = run.batchStatistics();
      KafkaPipelines.stop(run);
    }

    CheckpointDirectory directory =
        CheckpointDirectory.open(checkpoints.toUri().toString(), new Configuration(), 1000);
    Map<Integer, Long> previous = new HashMap<>();
    long batchesWithRecords = 0;
    for (BatchStatistics batch : batches) {
      Optional<byte[]> logged = directory.log().readOffsets(batch.batchId());
      assertThat("log entry of batch " + batch.batchId(), logged.isPresent(), equalTo(true));
      byte[] extent =
          BatchLogEntry.decode(batch.batchId(), logged.get()).extents().entrySet().stream()
              .filter(e -> e.getKey().startsWith("ReadKafka"))
              .map(Map.Entry::getValue)
              .findFirst()
              .orElseThrow();
      Map<Integer, Long> offsets = new HashMap<>();
      for (Optional<byte[]> mark : UnboundedSourceAdapter.loggedEndMarks(extent)) {
        if (mark.isPresent()) {
          KafkaCheckpointMark decoded =
              CoderUtils.decodeFromByteArray(AvroCoder.of(KafkaCheckpointMark.class), mark.get());
          decoded.getPartitions().forEach(p -> offsets.put(p.getPartition(), p.getNextOffset()));
        }
      }
      long advanced = 0;
      for (Map.Entry<Integer, Long> offset : offsets.entrySet()) {
        long before = previous.getOrDefault(offset.getKey(), 0L);
        assertThat(offset.getValue(), greaterThanOrEqualTo(before));
        advanced += offset.getValue() - before;
      }
      assertThat("batch " + batch.batchId(), advanced, equalTo(batch.recordsRead()));
      batchesWithRecords += batch.recordsRead() > 0 ? 1 : 0;
      previous.putAll(offsets);
    }
    // 400 records at 40 per batch: several batches, and the log ends at every partition's end.
    assertThat(batchesWithRecords, greaterThan(5L));
    assertThat(previous, equalTo(Map.of(0, 100L, 1, 100L, 2, 100L, 3, 100L)));
  }

  /**
   * After the restore the SDF step's residual restrictions resume only from their restored
   * processing-time timers, which fire before this process set any timer: the timer store must
   * decode their (global window) namespace from the step's window coder registered up front.
   */
  @Test
  void sdfReadResumesFromTheCheckpointedRestrictions(@TempDir Path checkpoints) throws Exception {
    resumesFromCheckpoint(
        "restart-sdf",
        checkpoints,
        List.of("--experiments=use_sdf_read"),
        read -> read.withConsumerPollingTimeout(1));
  }

  private static void resumesFromCheckpoint(
      String topic,
      Path checkpoints,
      List<String> extraArgs,
      UnaryOperator<KafkaIO.Read<String, String>> customize)
      throws Exception {
    kafka.createTopic(topic, PARTITIONS);
    produce(topic);
    String first = topic + "#1";
    PipelineResult run1 = pipeline(topic, first, checkpoints, extraArgs, customize).run();
    try {
      awaitOffsets(first, 0, PER_PHASE);
      // The batch that read the last record commits and checkpoints (one per batch) by the time
      // two batches that started later have committed.
      KafkaPipelines.awaitBatches(run1, 2, java.time.Duration.ofSeconds(30));
    } finally {
      KafkaPipelines.stop(run1);
    }

    produce(topic);
    String second = topic + "#2";
    PipelineResult run2 = pipeline(topic, second, checkpoints, extraArgs, customize).run();
    try {
      awaitOffsets(second, PER_PHASE, 2 * PER_PHASE);
      // Batches after the new records: a run that resumed wrongly would read old offsets now.
      KafkaPipelines.awaitBatches(run2, 2, java.time.Duration.ofSeconds(30));
    } finally {
      KafkaPipelines.stop(run2);
    }
    // The second run read only the new records: it resumed at the checkpointed offsets.
    List<String> reread = new ArrayList<>();
    for (String entry : READ) {
      if (entry.startsWith(second + "/")) {
        long offset = Long.parseLong(entry.substring(entry.indexOf(':') + 1));
        if (offset < PER_PHASE) {
          reread.add(entry);
        }
      }
    }
    assertThat(new TreeSet<>(reread).toString(), reread, empty());
  }

  private static Pipeline pipeline(
      String topic,
      String run,
      Path checkpoints,
      List<String> extraArgs,
      UnaryOperator<KafkaIO.Read<String, String>> customize) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--runner=MicroBatchRunner",
                "--streaming=true",
                "--parallelism=2",
                "--batchIntervalMillis=200",
                "--checkpointIntervalBatches=1",
                "--checkpointDir=" + checkpoints.toUri()));
    args.addAll(extraArgs);
    PipelineOptions options = PipelineOptionsFactory.fromArgs(args.toArray(new String[0])).create();
    Pipeline pipeline = Pipeline.create(options);
    pipeline
        .apply("ReadKafka", customize.apply(WindowedCountPipeline.read(kafka, topic)))
        .apply("RecordOffsets", ParDo.of(new RecordOffsets(run)));
    return pipeline;
  }

  private static void produce(String topic) throws Exception {
    List<TimedRecord> records = new ArrayList<>();
    long now = System.currentTimeMillis();
    for (int j = 0; j < PER_PHASE; j++) {
      for (int p = 0; p < PARTITIONS; p++) {
        records.add(new TimedRecord(p, "k", now + j));
      }
    }
    TimedRecord.produce(kafka, topic, records);
  }

  /** Waits until the run read offsets [from, to) of every partition. */
  private static void awaitOffsets(String run, long from, long to) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 40_000;
    while (System.currentTimeMillis() < deadline) {
      boolean all = true;
      for (int p = 0; p < PARTITIONS && all; p++) {
        for (long o = from; o < to && all; o++) {
          all = READ.contains(run + "/" + p + ":" + o);
        }
      }
      if (all) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("run " + run + " did not read offsets " + from + ".." + to + ": "
        + READ.stream().filter(e -> e.startsWith(run + "/")).count() + " read");
  }

}
