package io.microbatch.kafka;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;

/**
 * Passes records through and notes, in this JVM, when the first one arrived and how many did:
 * the benchmark's start mark (the first batch's records, after the pipeline's start-up) and its
 * count of records consumed. Both runners run the pipeline in the benchmark's own JVM, so static
 * fields are seen by it; {@link #reset()} between runs.
 */
final class ThroughputProbe extends DoFn<KV<String, String>, KV<String, String>> {
  private static final AtomicLong FIRST_MILLIS = new AtomicLong();
  private static final LongAdder RECORDS = new LongAdder();

  static void reset() {
    FIRST_MILLIS.set(0);
    RECORDS.reset();
  }

  /** Wall-clock millis of the first record, 0 if none yet. */
  static long firstMillis() {
    return FIRST_MILLIS.get();
  }

  static long records() {
    return RECORDS.sum();
  }

  @ProcessElement
  public void process(@Element KV<String, String> record, OutputReceiver<KV<String, String>> out) {
    // A plain read first: the compare-and-set runs only until the first record was noted.
    if (FIRST_MILLIS.get() == 0) {
      FIRST_MILLIS.compareAndSet(0, System.currentTimeMillis());
    }
    RECORDS.increment();
    out.output(record);
  }
}
