package io.microbatch.vr;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.junit.platform.engine.FilterResult;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.PostDiscoveryFilter;

/**
 * Drops the single suite tests the exclusions file names (surefire can only exclude whole classes
 * of a scanned jar). Registered through the ServiceLoader; active only when the suite's execution
 * sets {@code vr.exclusions} and {@code vr.mode}.
 */
public final class ExcludedTestsFilter implements PostDiscoveryFilter {
  private final Exclusions exclusions;

  public ExcludedTestsFilter() {
    String file = System.getProperty("vr.exclusions");
    String mode = System.getProperty("vr.mode");
    if (file == null || mode == null) {
      exclusions = null;
      return;
    }
    try {
      exclusions = Exclusions.load(Path.of(file), mode);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the suite's exclusions " + file, e);
    }
  }

  @Override
  public FilterResult apply(TestDescriptor descriptor) {
    if (exclusions != null
        && descriptor.getSource().orElse(null) instanceof MethodSource method
        && exclusions.excludesTest(method.getClassName(), method.getMethodName())) {
      return FilterResult.excluded("listed in the ValidatesRunner exclusions file");
    }
    return FilterResult.included("not excluded");
  }
}
