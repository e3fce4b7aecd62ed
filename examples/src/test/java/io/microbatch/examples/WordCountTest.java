package io.microbatch.examples;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WordCountTest {

  @Test
  void microBatchOutputEqualsDirectRunnerOutputLineForLine(@TempDir Path dir) throws IOException {
    String input = Path.of("data/the-river.txt").toAbsolutePath().toString();
    WordCount.main(
        new String[] {
          "--runner=MicroBatchRunner", "--inputFile=" + input, "--output=" + dir.resolve("mb/counts")
        });
    WordCount.main(
        new String[] {
          "--runner=DirectRunner", "--inputFile=" + input, "--output=" + dir.resolve("direct/counts")
        });

    List<String> microBatch = sortedLines(dir.resolve("mb"));
    List<String> direct = sortedLines(dir.resolve("direct"));
    assertThat(microBatch.size(), greaterThan(20));
    assertThat(microBatch, equalTo(direct));
  }

  private static List<String> sortedLines(Path dir) throws IOException {
    List<String> lines = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "counts-*")) {
      for (Path file : files) {
        lines.addAll(Files.readAllLines(file));
      }
    }
    Collections.sort(lines);
    return lines;
  }
}
