package io.microbatch.spark.pipelines;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.spark.SparkEnv;

/**
 * A test sink that works in any process on this machine: each bundle writes its lines to a new
 * file in a shared directory, named after the process id and Spark executor id that wrote it, so
 * a test can read back the output and see where it was produced.
 */
public final class WriteLines extends DoFn<String, Void> {
  private final String directory;
  private transient List<String> lines;

  public WriteLines(Path directory) {
    this.directory = directory.toString();
  }

  @StartBundle
  public void startBundle() {
    lines = new ArrayList<>();
  }

  @ProcessElement
  public void processElement(@Element String line) {
    lines.add(line);
  }

  @FinishBundle
  public void finishBundle() {
    if (lines.isEmpty()) {
      return;
    }
    SparkEnv env = SparkEnv.get();
    String executor = env == null ? "none" : env.executorId();
    String name = ProcessHandle.current().pid() + "_" + executor + "_" + UUID.randomUUID();
    Path dir = Path.of(directory);
    try {
      // Written aside, then renamed: a reader never sees half a bundle.
      Path temporary = dir.resolve("." + name + ".tmp");
      Files.write(temporary, lines, StandardCharsets.UTF_8);
      Files.move(temporary, dir.resolve(name + ".txt"), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
