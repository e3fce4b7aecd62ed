package io.microbatch.engine.exec;

import io.microbatch.engine.graph.ViewId;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.runners.core.metrics.MetricsContainerStepMap;

/**
 * What a remote partition task sends back to the driver: its output for other stages and views
 * (Beam-coder encoded), pushed-back input, records read, the keyed partition's clock and output
 * watermark, what the driver needs to know about the partition's timers without holding its
 * state, and the task's metric updates, which the driver merges into the batch's.
 */
public final class RemoteTaskResult implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Target stage id to encoded records per target partition (null where none). */
  final Map<Integer, byte[][]> shuffles = new HashMap<>();
  final Map<Integer, byte[]> buffers = new HashMap<>();
  final Map<ViewId, byte[]> views = new HashMap<>();
  byte[] pushedBack;
  byte[] keyedPushedBack;
  long recordsRead;
  /** Millis, or null if the stage is not keyed. */
  Long outputWatermark;
  long[] time;
  /** Millis of the partition's earliest processing-time and synchronized timers, or null. */
  Long nextProcessingTimer;
  Long nextSynchronizedTimer;
  boolean stateEmpty = true;
  MetricsContainerStepMap metrics;

  /** Bytes of encoded records this result carries back. */
  public long outputBytes() {
    long bytes = 0;
    for (byte[][] buckets : shuffles.values()) {
      for (byte[] bucket : buckets) {
        bytes += bucket == null ? 0 : bucket.length;
      }
    }
    for (byte[] buffer : buffers.values()) {
      bytes += buffer.length;
    }
    for (byte[] view : views.values()) {
      bytes += view.length;
    }
    return bytes;
  }
}
