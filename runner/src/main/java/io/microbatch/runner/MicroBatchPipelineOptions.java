package io.microbatch.runner;

import io.microbatch.translation.sources.UnboundedReadOptions;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.DefaultValueFactory;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.StreamingOptions;

/** Options of the {@link MicroBatchRunner}. */
public interface MicroBatchPipelineOptions extends PipelineOptions, StreamingOptions {

  @Description(
      "Worker threads running partition tasks, and partitions of every keyed stage. "
          + "Defaults to the number of available cores.")
  @Default.InstanceFactory(AvailableCores.class)
  int getParallelism();

  void setParallelism(int parallelism);

  @Description("Milliseconds between batch starts in streaming mode.")
  @Default.Long(1000)
  long getBatchIntervalMillis();

  void setBatchIntervalMillis(long millis);

  @Description(
      "Where partition tasks run: 'local' (threads of this process) or 'spark' (a Spark "
          + "cluster, see --sparkMaster; needs microbatch-spark-executor on the classpath and "
          + "supports bounded batch pipelines without checkpoints for now).")
  @Default.String("local")
  String getExecutor();

  void setExecutor(String executor);

  @Description(
      "Where keyed state and timers live: 'rocksdb' (one RocksDB per stage partition under "
          + "--stateDir) or 'memory' (heap, lost on exit).")
  @Default.String("rocksdb")
  String getStateBackend();

  void setStateBackend(String backend);

  @Description(
      "Local directory for the RocksDB state backend's working files; none by default, which "
          + "means a temporary directory per run, deleted at the end.")
  String getStateDir();

  void setStateDir(String dir);

  @Description(
      "Directory (any Hadoop FileSystem URI: file://, hdfs://, s3a://) for checkpoints; none by "
          + "default, which means no recovery after a failure. Needs --stateBackend=rocksdb.")
  String getCheckpointDir();

  void setCheckpointDir(String dir);

  @Description(
      "Hadoop settings for the --checkpointDir file system, as a JSON object of strings, e.g. "
          + "{\"fs.s3a.endpoint\":\"http://127.0.0.1:9000\",\"fs.s3a.path.style.access\":\"true\"}; "
          + "applied on top of the defaults and any core-site.xml on the classpath. Empty by default. "
          + "The values travel with the pipeline options like any other option, so prefer the file "
          + "system's own credential providers for secrets.")
  @Default.InstanceFactory(EmptyHadoopConf.class)
  Map<String, String> getCheckpointHadoopConf();

  void setCheckpointHadoopConf(Map<String, String> conf);

  @Description(
      "With --checkpointDir: checkpoint after every this many committed batches; a restart "
          + "resumes from the newest checkpoint, re-reading what came after it. Must be > 0.")
  @Default.Integer(1)
  int getCheckpointIntervalBatches();

  void setCheckpointIntervalBatches(int batches);

  @Description("With --checkpointDir: how many checkpoints to keep (older ones are deleted).")
  @Default.Integer(3)
  int getCheckpointsRetained();

  void setCheckpointsRetained(int checkpoints);

  @Description(
      "Most records one unbounded source reads in one batch, over all its splits; must be > 0.")
  @Default.Long(UnboundedReadOptions.DEFAULT_MAX_RECORDS_PER_BATCH)
  long getMaxRecordsPerBatch();

  void setMaxRecordsPerBatch(long records);

  @Description(
      "Most records per second one unbounded source reads (a token bucket over wall time); "
          + "0, the default, means no limit.")
  @Default.Long(UnboundedReadOptions.DEFAULT_MAX_RECORDS_PER_SECOND)
  long getMaxRecordsPerSecond();

  void setMaxRecordsPerSecond(long recordsPerSecond);

  @Description(
      "With a remote --executor and --checkpointDir: how many times a run recovers in process "
          + "when an executor holding keyed partitions is lost (it restarts from the last "
          + "checkpoint, reopening the lost partitions on live executors and replaying the "
          + "logged batches). 0 fails the pipeline on the first loss. Other failures always "
          + "fail it.")
  @Default.Integer(3)
  int getExecutorLossRecoveries();

  void setExecutorLossRecoveries(int recoveries);

  @Description(
      "In streaming mode, adapt each unbounded source's per-batch intake so that a batch's "
          + "processing fits the batch interval (a PID controller on the intake rate). On by default.")
  @Default.Boolean(true)
  boolean getBackpressure();

  void setBackpressure(boolean backpressure);

  @Description(
      "Level of the one log line written per committed batch (records, processing time, "
          + "scheduling delay): TRACE, DEBUG, INFO, WARN or ERROR.")
  @Default.String("DEBUG")
  String getBatchLogLevel();

  void setBatchLogLevel(String level);

  @Description(
      "Port of the embedded status page (stage graph, watermarks, batch charts at /, the same as "
          + "JSON at /api/status); 0 picks a free port. Unset by default, which means no server.")
  Integer getStatusPort();

  void setStatusPort(Integer port);

  @Description(
      "Address the status page's server binds to when --statusPort is set; 127.0.0.1 by default, "
          + "so only this machine can reach it.")
  @Default.String("127.0.0.1")
  String getStatusAddress();

  void setStatusAddress(String address);

  /** Defaults {@code --checkpointHadoopConf} to no settings (a new map, so callers may add). */
  class EmptyHadoopConf implements DefaultValueFactory<Map<String, String>> {
    @Override
    public Map<String, String> create(PipelineOptions options) {
      return new TreeMap<>();
    }
  }

  /** Defaults the parallelism to the number of cores. */
  class AvailableCores implements DefaultValueFactory<Integer> {
    @Override
    public Integer create(PipelineOptions options) {
      return Runtime.getRuntime().availableProcessors();
    }
  }
}
