package io.microbatch.translation.operators;

import org.apache.beam.sdk.transforms.DoFn;

/**
 * A bundle finalization callback that must not be skipped: it publishes output staged by the
 * batch. It never expires, and if it fails the job fails, so that a restart replays the batch and
 * publishes again, rather than the failure being logged and the output lost.
 */
@FunctionalInterface
public interface RequiredFinalization extends DoFn.BundleFinalizer.Callback {}
