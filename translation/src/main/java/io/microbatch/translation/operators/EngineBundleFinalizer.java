package io.microbatch.translation.operators;

import io.microbatch.engine.operator.OperatorContext;
import org.apache.beam.sdk.transforms.DoFn;
import org.joda.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Beam's bundle finalizer on the engine: a callback runs once the batch holding the bundle
 * committed, unless its expiry passed first; it is dropped with a failed batch. A failing
 * callback is logged, except a {@link RequiredFinalization}, whose failure fails the job.
 */
final class EngineBundleFinalizer implements DoFn.BundleFinalizer {
  private static final Logger LOG = LoggerFactory.getLogger(EngineBundleFinalizer.class);

  private final OperatorContext context;

  EngineBundleFinalizer(OperatorContext context) {
    this.context = context;
  }

  @Override
  public void afterBundleCommit(Instant callbackExpiry, Callback callback) {
    if (callback instanceof RequiredFinalization) {
      context.afterCommit(
          () -> {
            try {
              callback.onBundleSuccess();
            } catch (Exception e) {
              throw new IllegalStateException("Publishing a committed batch's output failed", e);
            }
          });
      return;
    }
    context.afterCommit(
        () -> {
          if (Instant.now().isAfter(callbackExpiry)) {
            LOG.warn("A bundle finalization callback expired at {} before its commit", callbackExpiry);
            return;
          }
          try {
            callback.onBundleSuccess();
          } catch (Exception e) {
            // Beam's contract: finalization is best effort, a failed callback does not fail the job.
            LOG.warn("A bundle finalization callback failed", e);
          }
        });
  }
}
