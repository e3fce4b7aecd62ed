package io.microbatch.vr;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The exclusions file as one mode sees it: keys prefixed {@code permanent.} and {@code pending.}
 * apply to every mode, keys prefixed with the mode's name ({@code batch.}, {@code streaming.}) to
 * that mode only. Suffix {@code excludedGroups} lists JUnit categories, suffix {@code
 * excludedTests} lists {@code Class#method} patterns where {@code *} matches anything.
 */
final class Exclusions {
  private final List<String> groups = new ArrayList<>();
  private final List<Pattern> tests = new ArrayList<>();

  private Exclusions() {}

  static Exclusions load(Path file, String mode) throws IOException {
    Properties props = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      props.load(in);
    }
    Exclusions exclusions = new Exclusions();
    for (String key : props.stringPropertyNames()) {
      if (!(key.startsWith("permanent.")
          || key.startsWith("pending.")
          || key.startsWith(mode + "."))) {
        continue;
      }
      for (String entry : props.getProperty(key).split(",")) {
        String value = entry.trim();
        if (value.isEmpty()) {
          continue;
        }
        if (key.endsWith(".excludedGroups")) {
          if (key.startsWith(mode + ".")) {
            throw new IllegalArgumentException(
                key + ": surefire excludes categories for both modes; list single tests instead");
          }
          exclusions.groups.add(value);
        } else if (key.endsWith(".excludedTests")) {
          exclusions.tests.add(toPattern(value));
        }
      }
    }
    return exclusions;
  }

  /** The excluded JUnit categories, by class name. */
  List<String> groups() {
    return groups;
  }

  /** True when {@code className#methodName} is listed as excluded. */
  boolean excludesTest(String className, String methodName) {
    String id = className + "#" + methodName;
    return tests.stream().anyMatch(p -> p.matcher(id).matches());
  }

  private static Pattern toPattern(String glob) {
    return Pattern.compile(
        java.util.Arrays.stream(glob.split("\\*", -1))
            .map(Pattern::quote)
            .collect(Collectors.joining(".*")));
  }
}
