package io.microbatch.engine.exec;

import io.microbatch.engine.graph.Step;
import io.microbatch.engine.graph.ViewId;
import io.microbatch.engine.plan.Stage;
import io.microbatch.engine.view.ViewStore;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.joda.time.Instant;

/**
 * The driver's side of running one stage's round on a {@link RemoteTaskExecutor}: turns the
 * engine's partition tasks into {@link RemoteTask}s (input encoded, side inputs snapshotted once
 * for the stage), and the results back into {@link TaskOutput}s, updating each keyed partition's
 * clock and state summary and merging the tasks' metric updates into the batch's.
 */
final class RemoteStageRun {
  private final RemoteTaskExecutor executor;
  private final RemoteProgram program;
  private final ViewStore views;
  private final Function<ViewId, Instant> viewWatermark;

  RemoteStageRun(RemoteTaskExecutor executor, RemoteProgram program, ViewStore views,
      Function<ViewId, Instant> viewWatermark) {
    this.executor = executor;
    this.program = program;
    this.views = views;
    this.viewWatermark = viewWatermark;
  }

  List<TaskOutput> run(List<PartitionTask> tasks) throws Exception {
    if (tasks.isEmpty()) {
      return List.of();
    }
    Stage stage = tasks.get(0).stage();
    Set<ViewId> read = sideInputsOf(stage);
    ViewSnapshot snapshot =
        read.isEmpty() ? null : ViewSnapshot.of(read, views, program, viewWatermark);
    List<RemoteTask> remoteTasks = new ArrayList<>(tasks.size());
    for (PartitionTask task : tasks) {
      remoteTasks.add(describe(task, snapshot));
    }
    List<RemoteTaskResult> results = executor.runRemote(remoteTasks);
    if (results.size() != tasks.size()) {
      throw new IllegalStateException(
          "Expected " + tasks.size() + " results from the remote executor, got " + results.size());
    }
    List<TaskOutput> outputs = new ArrayList<>(results.size());
    for (int i = 0; i < results.size(); i++) {
      outputs.add(receive(tasks.get(i), results.get(i)));
    }
    return outputs;
  }

  private RemoteTask describe(PartitionTask task, ViewSnapshot snapshot) throws Exception {
    Stage stage = task.stage();
    if (task.split() != null) {
      return new RemoteTask(stage.id(), task.partition(), task.split(), false, null, null, 0, 0,
          snapshot);
    }
    PartitionTask.KeyedInput keyed = task.keyedInput();
    if (keyed != null) {
      PartitionTime time = keyed.time();
      return new RemoteTask(stage.id(), task.partition(), null, true,
          RecordCodec.encodeRecords(program.inputCoder(stage), keyed.records()),
          new long[] {time.inputWatermark().getMillis(), time.outputWatermark().getMillis(),
              time.processingTime().getMillis()},
          keyed.newInputWatermark().getMillis(), keyed.processingTime().getMillis(), snapshot);
    }
    return new RemoteTask(stage.id(), task.partition(), null, false,
        RecordCodec.encodeElements(program.inputCoder(stage), task.buffered()), null, 0, 0,
        snapshot);
  }

  @SuppressWarnings("unchecked")
  private TaskOutput receive(PartitionTask task, RemoteTaskResult result) throws Exception {
    TaskOutput output = new TaskOutput();
    for (Map.Entry<Integer, byte[][]> shuffle : result.shuffles.entrySet()) {
      Stage target = program.stage(shuffle.getKey());
      byte[][] encoded = shuffle.getValue();
      List<ShuffleRecord>[] buckets = (List<ShuffleRecord>[]) new List<?>[encoded.length];
      for (int p = 0; p < encoded.length; p++) {
        if (encoded[p] != null) {
          buckets[p] = RecordCodec.decodeRecords(program.inputCoder(target), encoded[p]);
        }
      }
      // On the driver the program holds the engine's own stage objects (only copies travel), so
      // the stage found by id is the one the engine keys its runtimes by.
      output.shuffles.put(target, buckets);
    }
    for (Map.Entry<Integer, byte[]> buffer : result.buffers.entrySet()) {
      Stage target = program.stage(buffer.getKey());
      output.buffers.put(target,
          RecordCodec.decodeElements(program.inputCoder(target), buffer.getValue()));
    }
    for (Map.Entry<ViewId, byte[]> view : result.views.entrySet()) {
      output.views.put(view.getKey(),
          RecordCodec.decodeElements(program.viewCoder(view.getKey()), view.getValue()));
    }
    Stage stage = task.stage();
    if (result.pushedBack != null) {
      output.pushedBack.addAll(
          RecordCodec.decodeElements(program.inputCoder(stage), result.pushedBack));
    }
    if (result.keyedPushedBack != null) {
      output.keyedPushedBack.addAll(
          RecordCodec.decodeRecords(program.inputCoder(stage), result.keyedPushedBack));
    }
    output.recordsRead = result.recordsRead;
    if (result.outputWatermark != null) {
      output.outputWatermark = new Instant(result.outputWatermark);
    }
    PartitionTask.KeyedInput keyed = task.keyedInput();
    if (keyed != null) {
      keyed.time().restore(new Instant(result.time[0]), new Instant(result.time[1]),
          new Instant(result.time[2]));
      ((RemotePartitionState) keyed.state()).update(result);
    }
    task.metrics().updateAll(result.metrics);
    return output;
  }

  private static Set<ViewId> sideInputsOf(Stage stage) {
    Set<ViewId> read = new LinkedHashSet<>();
    if (stage.head() instanceof Step.KeyedStep keyed) {
      read.addAll(keyed.sideInputs());
    }
    for (Step.ElementStep step : stage.fused()) {
      read.addAll(step.sideInputs());
    }
    return read;
  }
}
