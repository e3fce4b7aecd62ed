package io.microbatch.benchmarks.harness;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.sdk.transforms.DoFn;

/**
 * The end of every benchmark pipeline: adds each output to the {@link OutputDigest} registered under
 * the run's id in this JVM. Works for runners that execute in the launching JVM (MicroBatch, Direct,
 * Flink's local cluster).
 */
public final class DigestSink<T> extends DoFn<T, Void> {
  private static final Map<String, OutputDigest> DIGESTS = new ConcurrentHashMap<>();
  private final String runId;
  private transient OutputDigest digest;

  public DigestSink(String runId) {
    this.runId = runId;
  }

  /** Registers a fresh digest for {@code runId} and returns it. */
  public static OutputDigest register(String runId, boolean keepLines) {
    OutputDigest digest = new OutputDigest(keepLines);
    DIGESTS.put(runId, digest);
    return digest;
  }

  /** Forgets the digest of {@code runId}. */
  public static void unregister(String runId) {
    DIGESTS.remove(runId);
  }

  @Setup
  public void setup() {
    digest = DIGESTS.get(runId);
    if (digest == null) {
      throw new IllegalStateException("No digest registered for run " + runId);
    }
  }

  @ProcessElement
  public void process(@Element T output) {
    digest.add(output);
  }
}
