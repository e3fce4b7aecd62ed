package io.microbatch.spark.pipelines;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.apache.beam.sdk.transforms.DoFn;

/**
 * Passes elements through and leaves a marker file per instance at {@code @Setup} and at {@code
 * @Teardown} ({@code setup_<pid>_<instance>}, {@code teardown_<pid>_<instance>}), so a test can
 * check from outside which processes set instances up and whether each was torn down.
 */
public final class LifecycleMarkers<T> extends DoFn<T, T> {
  private final String directory;
  private transient String instance;

  public LifecycleMarkers(Path directory) {
    this.directory = directory.toString();
  }

  @Setup
  public void setup() {
    instance = ProcessHandle.current().pid() + "_" + UUID.randomUUID();
    mark("setup_");
  }

  @ProcessElement
  public void process(@Element T element, OutputReceiver<T> output) {
    output.output(element);
  }

  @Teardown
  public void teardown() {
    mark("teardown_");
  }

  private void mark(String prefix) {
    try {
      Files.createFile(Path.of(directory).resolve(prefix + instance));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
