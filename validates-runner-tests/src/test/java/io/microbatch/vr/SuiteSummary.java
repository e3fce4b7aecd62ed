package io.microbatch.vr;

import io.github.classgraph.ClassGraph;
import io.github.classgraph.ClassInfo;
import io.github.classgraph.ScanResult;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.Ignore;
import org.junit.Test;
import org.junit.experimental.categories.Category;
import org.w3c.dom.Element;

/**
 * Writes the ValidatesRunner summary of one mode from surefire's XML reports: run, passed, failed,
 * skipped, and how many suite tests the exclusions file kept from running. With {@code check} it
 * fails the build when a written summary reports failures, so both modes' summaries exist first.
 */
public final class SuiteSummary {
  private SuiteSummary() {}

  public static void main(String[] args) throws Exception {
    if (args[0].equals("check")) {
      check(args);
      return;
    }
    String mode = args[0];
    Path reports = Path.of(args[1]);
    Path exclusionsFile = Path.of(args[2]);
    Path summary = Path.of(args[3]);

    long run = 0;
    long failed = 0;
    long skipped = 0;
    List<String> failures = new ArrayList<>();
    if (Files.isDirectory(reports)) {
      try (DirectoryStream<Path> files = Files.newDirectoryStream(reports, "TEST-*.xml")) {
        for (Path file : files) {
          Element suite =
              DocumentBuilderFactory.newInstance()
                  .newDocumentBuilder()
                  .parse(file.toFile())
                  .getDocumentElement();
          run += Long.parseLong(suite.getAttribute("tests"));
          long bad =
              Long.parseLong(suite.getAttribute("failures"))
                  + Long.parseLong(suite.getAttribute("errors"));
          failed += bad;
          skipped += Long.parseLong(suite.getAttribute("skipped"));
          if (bad > 0) {
            failures.add(suite.getAttribute("name") + " (" + bad + ")");
          }
        }
      }
    }
    long excluded = countExcluded(exclusionsFile, mode);
    StringBuilder out = new StringBuilder();
    out.append("mode: ").append(mode).append('\n');
    out.append("run: ").append(run).append('\n');
    out.append("passed: ").append(run - failed - skipped).append('\n');
    out.append("failed: ").append(failed).append('\n');
    out.append("skipped: ").append(skipped).append('\n');
    out.append("excluded: ").append(excluded).append('\n');
    for (String failure : failures) {
      out.append("failing class: ").append(failure).append('\n');
    }
    Files.createDirectories(summary.getParent());
    Files.writeString(summary, out.toString());
    System.out.print(out);
  }

  /** Fails the build when a summary written earlier reports failed tests. */
  private static void check(String[] args) throws IOException {
    List<String> failing = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      Path summary = Path.of(args[i]);
      if (!Files.exists(summary)) {
        failing.add(summary + " (missing)");
        continue;
      }
      for (String line : Files.readAllLines(summary)) {
        if (line.startsWith("failed: ") && !line.equals("failed: 0")) {
          failing.add(summary.getFileName() + " " + line);
        }
      }
    }
    if (!failing.isEmpty()) {
      System.err.println("ValidatesRunner failures: " + failing);
      System.exit(1);
    }
  }

  /** Counts ValidatesRunner test methods the exclusions file keeps from running in this mode. */
  private static long countExcluded(Path exclusionsFile, String mode) throws IOException {
    Exclusions exclusions = Exclusions.load(exclusionsFile, mode);
    List<Class<?>> excludedGroups = new ArrayList<>();
    for (String name : exclusions.groups()) {
      excludedGroups.add(load(name));
    }
    Class<?> validatesRunner = load("org.apache.beam.sdk.testing.ValidatesRunner");
    long excluded = 0;
    try (ScanResult scan =
        new ClassGraph()
            .enableClassInfo()
            .enableMethodInfo()
            .enableAnnotationInfo()
            .acceptPackages("org.apache.beam.sdk", "org.apache.beam.runners.core")
            .scan()) {
      for (ClassInfo info : scan.getClassesWithMethodAnnotation(Test.class.getName())) {
        Class<?> type = info.loadClass(true);
        if (type == null || Modifier.isAbstract(type.getModifiers())) {
          continue;
        }
        for (Method method : type.getMethods()) {
          if (!method.isAnnotationPresent(Test.class) || method.isAnnotationPresent(Ignore.class)) {
            continue;
          }
          List<Class<?>> categories = categoriesOf(type, method);
          if (categories.stream().noneMatch(validatesRunner::isAssignableFrom)) {
            continue;
          }
          boolean isExcluded =
              categories.stream()
                  .anyMatch(c -> excludedGroups.stream().anyMatch(g -> g.isAssignableFrom(c)));
          isExcluded |= exclusions.excludesTest(type.getName(), method.getName());
          if (isExcluded) {
            excluded++;
          }
        }
      }
    }
    return excluded;
  }

  private static List<Class<?>> categoriesOf(Class<?> type, Method method) {
    List<Class<?>> categories = new ArrayList<>();
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      Category category = c.getAnnotation(Category.class);
      if (category != null) {
        categories.addAll(Arrays.asList(category.value()));
      }
    }
    Category onMethod = method.getAnnotation(Category.class);
    if (onMethod != null) {
      categories.addAll(Arrays.asList(onMethod.value()));
    }
    return categories;
  }

  private static Class<?> load(String name) {
    try {
      return Class.forName(name);
    } catch (ClassNotFoundException e) {
      throw new IllegalArgumentException("Unknown test category in exclusions: " + name, e);
    }
  }
}
