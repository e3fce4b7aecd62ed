package io.microbatch.engine.exec;

import io.microbatch.engine.graph.ViewId;
import io.microbatch.engine.plan.Stage;
import io.microbatch.engine.view.ViewReader;
import io.microbatch.engine.view.ViewStore;
import io.microbatch.state.PartitionState;
import java.util.List;
import java.util.Map;
import org.apache.beam.runners.core.metrics.MetricsContainerStepMap;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.WindowedValue;
import org.joda.time.Instant;

/**
 * Runs a {@link RemoteTask} in an executor process: decodes its input, runs the same partition
 * task the local engine runs against the stage from the {@link RemoteProgram} and the keyed
 * partition's state held in this process, and encodes what it produced.
 */
public final class RemoteTaskRunner {
  private static final ViewReader NO_VIEWS = new ViewStore(view -> {
    throw new IllegalStateException("View " + view + " was not shipped with this task");
  });

  private RemoteTaskRunner() {}

  /**
   * Prepares a keyed partition's state that this process just opened, as the engine does on the
   * driver: registers the timer window coder before any timer is read.
   */
  public static void prepareOpenedState(
      RemoteProgram program, int stageId, PartitionState state) {
    Stage stage = program.stage(stageId);
    if (stage.head() instanceof io.microbatch.engine.graph.Step.KeyedStep keyed) {
      Coder<? extends BoundedWindow> windowCoder = keyed.factory().timerWindowCoder();
      if (windowCoder != null) {
        state.timers().registerWindowCoder(windowCoder);
      }
    }
  }

  /**
   * Runs the task; {@code state} is the partition's state for a keyed task, null otherwise.
   * After-commit work the task registered comes back in the result for the executor to keep
   * ({@link RemoteTaskResult#takeAfterCommit}); only its count travels to the driver.
   */
  public static RemoteTaskResult run(RemoteProgram program, RemoteTask task, PartitionState state)
      throws Exception {
    Stage stage = program.stage(task.stageId);
    MetricsContainerStepMap metrics = new MetricsContainerStepMap();
    ViewReader views = task.views == null ? NO_VIEWS : task.views.toStore(program);
    Map<Stage, Integer> keyedPartitions = program.keyedPartitions();
    PartitionTask partitionTask;
    PartitionTime time = null;
    if (task.split != null) {
      partitionTask = PartitionTask.forSplit(
          stage, task.partition, metrics, views, keyedPartitions, task.split);
    } else if (task.keyed) {
      if (state == null) {
        throw new IllegalArgumentException("A keyed task needs its partition's state");
      }
      time = new PartitionTime();
      time.restore(
          new Instant(task.time[0]), new Instant(task.time[1]), new Instant(task.time[2]));
      List<ShuffleRecord> records =
          RecordCodec.decodeRecords(program.inputCoder(stage), task.input);
      partitionTask = PartitionTask.forKeyed(stage, task.partition, metrics, views,
          keyedPartitions, new PartitionTask.KeyedInput(records, state, time,
              new Instant(task.newInputWatermark), new Instant(task.processingTime)));
    } else {
      partitionTask = PartitionTask.forBuffered(stage, task.partition, metrics, views,
          keyedPartitions, RecordCodec.decodeElements(program.inputCoder(stage), task.input));
    }
    TaskOutput output = partitionTask.call();
    RemoteTaskResult result = encode(program, stage, output, time, state, metrics);
    result.afterCommit = List.copyOf(output.afterCommit);
    result.afterCommitCallbacks = output.afterCommit.size();
    return result;
  }

  private static RemoteTaskResult encode(RemoteProgram program, Stage stage, TaskOutput output,
      PartitionTime time, PartitionState state, MetricsContainerStepMap metrics)
      throws Exception {
    RemoteTaskResult result = new RemoteTaskResult();
    for (Map.Entry<Stage, List<ShuffleRecord>[]> shuffle : output.shuffles.entrySet()) {
      Coder<WindowedValue<?>> coder = program.inputCoder(shuffle.getKey());
      List<ShuffleRecord>[] buckets = shuffle.getValue();
      byte[][] encoded = new byte[buckets.length][];
      for (int p = 0; p < buckets.length; p++) {
        if (buckets[p] != null) {
          encoded[p] = RecordCodec.encodeRecords(coder, buckets[p]);
        }
      }
      result.shuffles.put(shuffle.getKey().id(), encoded);
    }
    for (Map.Entry<Stage, List<WindowedValue<?>>> buffer : output.buffers.entrySet()) {
      result.buffers.put(buffer.getKey().id(), RecordCodec.encodeElements(
          program.inputCoder(buffer.getKey()), buffer.getValue()));
    }
    for (Map.Entry<ViewId, List<WindowedValue<?>>> view : output.views.entrySet()) {
      result.views.put(view.getKey(), RecordCodec.encodeElements(
          program.viewCoder(view.getKey()), view.getValue()));
    }
    if (!output.pushedBack.isEmpty()) {
      result.pushedBack =
          RecordCodec.encodeElements(program.inputCoder(stage), output.pushedBack);
    }
    if (!output.keyedPushedBack.isEmpty()) {
      result.keyedPushedBack =
          RecordCodec.encodeRecords(program.inputCoder(stage), output.keyedPushedBack);
    }
    result.recordsRead = output.recordsRead;
    result.metrics = metrics;
    if (time != null) {
      result.outputWatermark = output.outputWatermark.getMillis();
      result.time = new long[] {time.inputWatermark().getMillis(),
          time.outputWatermark().getMillis(), time.processingTime().getMillis()};
      result.nextProcessingTimer = millis(state.timers().nextTimestamp(TimeDomain.PROCESSING_TIME));
      result.nextSynchronizedTimer =
          millis(state.timers().nextTimestamp(TimeDomain.SYNCHRONIZED_PROCESSING_TIME));
      result.stateEmpty = state.isEmpty();
    }
    return result;
  }

  private static Long millis(Instant instant) {
    return instant == null ? null : instant.getMillis();
  }
}
