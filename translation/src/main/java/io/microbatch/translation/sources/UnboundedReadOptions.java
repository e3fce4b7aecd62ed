package io.microbatch.translation.sources;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * The pipeline options an {@link UnboundedSourceAdapter} reads. The runner's options interface
 * declares the same properties (with the same defaults, taken from the constants here) for its
 * users; this view lets the translation layer read them without depending on the runner.
 */
public interface UnboundedReadOptions extends PipelineOptions {
  /** Default of {@link #getMaxRecordsPerBatch()}. */
  long DEFAULT_MAX_RECORDS_PER_BATCH = 100_000L;

  /** Default of {@link #getMaxRecordsPerSecond()}: no rate limit. */
  long DEFAULT_MAX_RECORDS_PER_SECOND = 0L;

  /** Default of {@link #getBatchIntervalMillis()}, the same as the runner's. */
  long DEFAULT_BATCH_INTERVAL_MILLIS = 1000L;

  @Description("Most records one unbounded source reads in one batch, over all its splits.")
  @Default.Long(DEFAULT_MAX_RECORDS_PER_BATCH)
  long getMaxRecordsPerBatch();

  void setMaxRecordsPerBatch(long records);

  @Description("Most records per second one unbounded source reads; 0 means no limit.")
  @Default.Long(DEFAULT_MAX_RECORDS_PER_SECOND)
  long getMaxRecordsPerSecond();

  void setMaxRecordsPerSecond(long recordsPerSecond);

  @Description("Milliseconds between batch starts in streaming mode.")
  @Default.Long(DEFAULT_BATCH_INTERVAL_MILLIS)
  long getBatchIntervalMillis();

  void setBatchIntervalMillis(long millis);
}
