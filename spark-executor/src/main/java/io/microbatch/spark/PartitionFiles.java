package io.microbatch.spark;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The files of one partition's state snapshot as bytes, by path relative to the snapshot
 * directory: how snapshots travel between the driver and the executors in this first,
 * driver-routed cut of checkpoints (the driver writes and reads the checkpoint directory).
 */
record PartitionFiles(Map<String, byte[]> files) implements Serializable {

  /** Reads every regular file under {@code directory}. */
  static PartitionFiles read(Path directory) throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.filter(Files::isRegularFile).sorted().toList()) {
        files.put(directory.relativize(path).toString(), Files.readAllBytes(path));
      }
    }
    return new PartitionFiles(files);
  }

  /** Writes the files under {@code directory}, creating it. */
  void writeTo(Path directory) throws IOException {
    Files.createDirectories(directory);
    for (Map.Entry<String, byte[]> file : files.entrySet()) {
      Path target = directory.resolve(file.getKey());
      Files.createDirectories(target.getParent());
      Files.write(target, file.getValue());
    }
  }

  long bytes() {
    return files.values().stream().mapToLong(b -> b.length).sum();
  }

  static void deleteRecursively(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      List<Path> deepestFirst = paths.sorted(java.util.Comparator.reverseOrder()).toList();
      for (Path path : deepestFirst) {
        Files.deleteIfExists(path);
      }
    }
  }
}
