package io.microbatch.spark;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Options of {@code --executor=spark}, registered when this artifact is on the classpath. */
public interface SparkExecutorOptions extends PipelineOptions {

  @Description(
      "Spark master URL for --executor=spark, e.g. spark://host:7077. Empty (the default) uses "
          + "the running SparkContext if there is one, else spark.master as spark-submit sets it.")
  @Default.String("")
  String getSparkMaster();

  void setSparkMaster(String master);

  @Description(
      "Local directory on every executor's machine where --executor=spark keeps keyed state "
          + "(RocksDB, one subdirectory per executor and run). Empty (the default) means "
          + "<java.io.tmpdir of the driver>/microbatch-spark-state.")
  @Default.String("")
  String getSparkStateDir();

  void setSparkStateDir(String dir);

  @Description("RocksDB block cache per executor for --executor=spark, in MiB.")
  @Default.Long(64)
  long getSparkStateCacheMb();

  void setSparkStateCacheMb(long mb);

  @Description("RocksDB memtable budget per executor for --executor=spark, in MiB.")
  @Default.Long(32)
  long getSparkStateWriteBufferMb();

  void setSparkStateWriteBufferMb(long mb);
}
