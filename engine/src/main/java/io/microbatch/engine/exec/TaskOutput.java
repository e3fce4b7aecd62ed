package io.microbatch.engine.exec;

import io.microbatch.engine.graph.ViewId;
import io.microbatch.engine.plan.Stage;
import io.microbatch.state.ByteKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.values.WindowedValue;
import org.joda.time.Instant;

/** What one partition task produced for other stages: shuffle buckets, buffers and view data. */
final class TaskOutput {
  final Map<Stage, List<ShuffleRecord>[]> shuffles = new HashMap<>();
  final Map<Stage, List<WindowedValue<?>>> buffers = new HashMap<>();
  final Map<ViewId, List<WindowedValue<?>>> views = new HashMap<>();
  /** Keyed input of the head handed back until its side inputs are ready. */
  final List<ShuffleRecord> keyedPushedBack = new ArrayList<>();
  /** Records a source split emitted. */
  long recordsRead;
  /** Callbacks to run once the batch committed. */
  final List<Runnable> afterCommit = new ArrayList<>();
  /** Input elements of the head handed back until its side inputs are ready. */
  final List<WindowedValue<?>> pushedBack = new ArrayList<>();
  /** For keyed stages: the output watermark this partition reached. */
  Instant outputWatermark;

  @SuppressWarnings("unchecked")
  void shuffle(Stage target, int partitions, ByteKey key, WindowedValue<?> element) {
    List<ShuffleRecord>[] buckets =
        shuffles.computeIfAbsent(target, t -> (List<ShuffleRecord>[]) new List<?>[partitions]);
    int p = Partitioner.partitionOf(key, partitions);
    if (buckets[p] == null) {
      buckets[p] = new ArrayList<>();
    }
    buckets[p].add(new ShuffleRecord(key, element));
  }

  List<WindowedValue<?>> buffer(Stage target) {
    return buffers.computeIfAbsent(target, t -> new ArrayList<>());
  }

  List<WindowedValue<?>> view(ViewId view) {
    return views.computeIfAbsent(view, v -> new ArrayList<>());
  }
}
