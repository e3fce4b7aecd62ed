package io.microbatch.spark.pipelines;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Passes each key through and asks for a bundle finalization callback per element that leaves a
 * marker file {@code finalized_<key>_<pid>} once the element's batch committed, so a test can see
 * from outside whether, where and how often the callbacks ran.
 */
public final class FinalizationMarkers<V> extends DoFn<KV<String, V>, KV<String, V>> {
  private final String directory;

  public FinalizationMarkers(Path directory) {
    this.directory = directory.toString();
  }

  @ProcessElement
  public void process(@Element KV<String, V> element, BundleFinalizer finalizer,
      OutputReceiver<KV<String, V>> output) {
    String key = element.getKey();
    finalizer.afterBundleCommit(Instant.now().plus(Duration.standardMinutes(10)),
        () -> mark(key));
    output.output(element);
  }

  private void mark(String key) {
    try {
      Files.createFile(
          Path.of(directory).resolve("finalized_" + key + "_" + ProcessHandle.current().pid()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
