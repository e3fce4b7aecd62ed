package io.microbatch.vr;

import io.github.classgraph.ClassGraph;
import io.github.classgraph.ClassInfo;
import io.github.classgraph.ScanResult;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.Ignore;
import org.junit.Test;
import org.junit.experimental.categories.Category;
import org.w3c.dom.Element;

/**
 * Writes the ValidatesRunner summary of one mode from surefire's XML reports: run, passed, failed,
 * skipped, and how many suite tests the exclusions file kept from running. Exits non-zero when a
 * test failed, so the build fails only after the summary was written.
 */
public final class SuiteSummary {
  private SuiteSummary() {}

  public static void main(String[] args) throws Exception {
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
    long excluded = countExcluded(exclusionsFile);
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
    if (failed > 0) {
      System.exit(1);
    }
  }

  /** Counts ValidatesRunner test methods whose categories the exclusions file excludes. */
  private static long countExcluded(Path exclusionsFile) throws IOException {
    Properties props = new Properties();
    try (InputStream in = new FileInputStream(exclusionsFile.toFile())) {
      props.load(in);
    }
    List<Class<?>> excludedGroups = new ArrayList<>();
    for (String key : props.stringPropertyNames()) {
      if (key.endsWith("excludedGroups")) {
        for (String name : props.getProperty(key).split(",")) {
          if (!name.isBlank()) {
            excludedGroups.add(load(name.trim()));
          }
        }
      }
    }
    List<String> excludedTests = new ArrayList<>();
    for (String key : props.stringPropertyNames()) {
      if (key.endsWith("excludedClasses")) {
        for (String pattern : props.getProperty(key).split(",")) {
          if (!pattern.isBlank()) {
            // **/SimpleName.java excludes that class (not its nested classes) in any package.
            String simpleName = pattern.trim().replace("**/", "").replace(".java", "");
            excludedTests.add("*." + simpleName + "#*");
          }
        }
      }
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
          String id = type.getName() + "#" + method.getName();
          isExcluded |= excludedTests.stream().anyMatch(p -> matches(p, id));
          if (isExcluded) {
            excluded++;
          }
        }
      }
    }
    return excluded;
  }

  /** Matches a Class#method pattern where '*' stands for any run of characters. */
  private static boolean matches(String pattern, String id) {
    String regex =
        Arrays.stream(pattern.split("\\*", -1))
            .map(java.util.regex.Pattern::quote)
            .collect(java.util.stream.Collectors.joining(".*"));
    return id.matches(regex);
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
