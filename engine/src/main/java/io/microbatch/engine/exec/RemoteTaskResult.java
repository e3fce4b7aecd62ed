package io.microbatch.engine.exec;

import io.microbatch.engine.graph.ViewId;
import java.io.Serializable;
import java.util.HashMap;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.util.List;
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
  /**
   * Work the task registered to run once its batch commits (bundle finalization, publishing
   * staged output). Closures over the executor's objects: they stay in the executor process,
   * which keeps them until the driver asks it to run them after the commit.
   */
  transient List<Runnable> afterCommit = List.of();
  /** How many after-commit callbacks the task left in its executor process. */
  int afterCommitCallbacks;

  /** Set if the task's work failed; the rest of the result is then empty. */
  Throwable failure;

  /**
   * The result of a task whose work threw: the failure goes back to the driver as the result
   * (rather than failing the remote attempt, which a remote scheduler may retry), so the
   * pipeline fails with the exception the user's code threw. Parts of the failure that do not
   * serialize are replaced by a copy keeping their text and stack trace.
   */
  public static RemoteTaskResult failed(Throwable failure) {
    RemoteTaskResult result = new RemoteTaskResult();
    result.failure = serializable(failure);
    return result;
  }

  /** The task's failure, or null if it succeeded. */
  public Throwable failure() {
    return failure;
  }

  private static Throwable serializable(Throwable failure) {
    try (ObjectOutputStream out = new ObjectOutputStream(OutputStream.nullOutputStream())) {
      out.writeObject(failure);
      return failure;
    } catch (IOException notSerializable) {
      Throwable cause = failure.getCause() == null ? null : serializable(failure.getCause());
      RuntimeException copy = new RuntimeException(failure.toString(), cause);
      copy.setStackTrace(failure.getStackTrace());
      return copy;
    }
  }

  /** How many after-commit callbacks the task registered (0 if none). */
  public int afterCommitCallbacks() {
    return afterCommitCallbacks;
  }

  /**
   * In the executor process, before the result is sent: takes the after-commit work out, for the
   * executor to keep until the driver says the batch committed.
   */
  public List<Runnable> takeAfterCommit() {
    List<Runnable> callbacks = afterCommit == null ? List.of() : afterCommit;
    afterCommit = List.of();
    return callbacks;
  }

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
