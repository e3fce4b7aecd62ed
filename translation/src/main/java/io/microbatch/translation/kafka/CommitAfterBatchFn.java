package io.microbatch.translation.kafka;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;

/**
 * Runs KafkaIO's offset commit for each (partition descriptor, max offset) element from a bundle
 * finalizer, i.e. after the batch that produced the element committed; a failed batch commits
 * nothing. KafkaIO's own DoFn still does the commit (its consumer settings, its error handling).
 */
final class CommitAfterBatchFn<K> extends DoFn<KV<K, Long>, Void> {
  private final DoFn<KV<K, Long>, Void> commit;
  private transient Method processElement;

  CommitAfterBatchFn(DoFn<KV<K, Long>, Void> commit) {
    this.commit = commit;
  }

  @Setup
  public void setup() throws NoSuchMethodException {
    processElement = commit.getClass().getMethod("processElement", KV.class);
    // The method is public but its class package-private.
    processElement.setAccessible(true);
  }

  @ProcessElement
  public void process(@Element KV<K, Long> offset, BundleFinalizer finalizer) {
    // Offsets only ever need committing once the batch is durable, however long that takes.
    finalizer.afterBundleCommit(BoundedWindow.TIMESTAMP_MAX_VALUE, () -> commitNow(offset));
  }

  private void commitNow(KV<K, Long> offset) throws Exception {
    try {
      processElement.invoke(commit, offset);
    } catch (InvocationTargetException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }
}
