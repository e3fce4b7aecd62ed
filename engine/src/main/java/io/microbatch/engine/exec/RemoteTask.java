package io.microbatch.engine.exec;

import io.microbatch.engine.source.SourceSplit;
import java.io.Serializable;

/**
 * One partition task as it travels to a remote executor: which stage and partition, and its
 * input (a source split, or Beam-coder encoded records), the keyed partition's clock and the
 * round's watermark and processing time, and the side inputs the stage reads. The operator chain
 * is not in it: it comes once per job in the {@link RemoteProgram}. Run it with {@link
 * RemoteTaskRunner}.
 */
public final class RemoteTask implements Serializable {
  private static final long serialVersionUID = 1L;

  final int stageId;
  final int partition;
  final SourceSplit split;
  final boolean keyed;
  /** Encoded shuffle records (keyed) or elements (buffered); null for a split. */
  final byte[] input;
  /** The keyed partition's input, output and processing time before the task, in millis. */
  final long[] time;
  final long newInputWatermark;
  final long processingTime;
  final ViewSnapshot views;

  RemoteTask(int stageId, int partition, SourceSplit split, boolean keyed, byte[] input,
      long[] time, long newInputWatermark, long processingTime, ViewSnapshot views) {
    this.stageId = stageId;
    this.partition = partition;
    this.split = split;
    this.keyed = keyed;
    this.input = input;
    this.time = time;
    this.newInputWatermark = newInputWatermark;
    this.processingTime = processingTime;
    this.views = views;
  }

  public int stageId() {
    return stageId;
  }

  public int partition() {
    return partition;
  }

  /** True if the task runs a keyed partition and so needs that partition's state. */
  public boolean keyed() {
    return keyed;
  }

  /** The name the partition's state is kept under, as the local engine names it. */
  public String stateName() {
    return "stage-" + stageId;
  }

  /** Bytes of encoded input records this task carries. */
  public int inputBytes() {
    return input == null ? 0 : input.length;
  }
}
