package io.microbatch.translation.operators;

import java.io.Closeable;
import org.apache.beam.sdk.metrics.MetricsContainer;
import org.apache.beam.sdk.metrics.MetricsEnvironment;

/** Makes a step's metrics container current while its user code runs. */
final class MetricsScope {
  private MetricsScope() {}

  static Closeable enter(MetricsContainer container) {
    return MetricsEnvironment.scopedMetricsContainer(container);
  }
}
