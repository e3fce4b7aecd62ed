package io.microbatch.engine.exec;

import io.microbatch.engine.plan.Stage;
import io.microbatch.engine.rate.IntakeController;
import io.microbatch.engine.source.SourceSplit;
import io.microbatch.state.PartitionState;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.WindowedValue;
import org.joda.time.Instant;

/** What a stage keeps between rounds and batches: pending input and, if keyed, its state. */
final class StageRuntime {
  final Stage stage;
  /** Splits a source stage still has to read this batch. */
  List<SourceSplit> pendingSplits = List.of();
  /** Shuffled input per partition of a keyed stage. */
  final List<ShuffleRecord>[] keyedInput;
  /** Keyed input the head pushed back until its side inputs are ready, per partition. */
  final List<ShuffleRecord>[] keyedPushedBack;
  /** State and clock per partition of a keyed stage. */
  final PartitionState[] states;

  final PartitionTime[] times;
  /** Buffered input of a stage headed by a step that waits for side inputs. */
  List<WindowedValue<?>> buffered = new ArrayList<>();
  /** Input the head pushed back until its side inputs are ready. */
  List<WindowedValue<?>> pushedBack = new ArrayList<>();
  /** How far the head's side inputs were when it last pushed back input. */
  List<Object> sideInputProgressAtPushBack = List.of();
  /** Records a source stage read in the running batch. */
  long recordsReadThisBatch;
  /** Backpressure of a source stage, in streaming mode. */
  IntakeController intake;
  /** The input watermark the head has processed up to. */
  Instant processedInputWatermark = BoundedWindow.TIMESTAMP_MIN_VALUE;
  /** The output watermark the head last reported. */
  Instant reportedOutput = BoundedWindow.TIMESTAMP_MIN_VALUE;

  @SuppressWarnings("unchecked")
  StageRuntime(Stage stage, int partitions, PartitionState[] states) {
    this.stage = stage;
    this.states = states;
    this.keyedInput = (List<ShuffleRecord>[]) new List<?>[partitions];
    this.keyedPushedBack = (List<ShuffleRecord>[]) new List<?>[partitions];
    this.times = new PartitionTime[partitions];
    for (int p = 0; p < partitions; p++) {
      keyedInput[p] = new ArrayList<>();
      keyedPushedBack[p] = new ArrayList<>();
      times[p] = new PartitionTime();
    }
  }

  boolean hasPushedBack() {
    if (!pushedBack.isEmpty()) {
      return true;
    }
    for (List<ShuffleRecord> records : keyedPushedBack) {
      if (!records.isEmpty()) {
        return true;
      }
    }
    return false;
  }

  /** The earliest timestamp of keyed input waiting for side inputs, or null. */
  Instant earliestKeyedPushedBack() {
    Instant earliest = null;
    for (List<ShuffleRecord> records : keyedPushedBack) {
      for (ShuffleRecord record : records) {
        Instant t = record.element().getTimestamp();
        if (earliest == null || t.isBefore(earliest)) {
          earliest = t;
        }
      }
    }
    return earliest;
  }

  boolean hasKeyedInput() {
    for (List<ShuffleRecord> records : keyedInput) {
      if (!records.isEmpty()) {
        return true;
      }
    }
    return false;
  }
}
