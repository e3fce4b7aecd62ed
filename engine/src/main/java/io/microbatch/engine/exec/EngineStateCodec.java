package io.microbatch.engine.exec;

import io.microbatch.engine.graph.DatasetId;
import io.microbatch.engine.graph.Step;
import io.microbatch.engine.graph.StepGraph;
import io.microbatch.engine.graph.ViewId;
import io.microbatch.engine.plan.Stage;
import io.microbatch.engine.view.ViewStore;
import io.microbatch.state.ByteKey;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.WindowedValue;
import org.joda.time.Instant;

/**
 * The engine's own state between batches, as checkpoint bytes: per stage its watermarks (and per
 * keyed partition its clock), input it pushed back, a source's position; and every view's
 * contents. Written only when a batch has committed, so no shuffle or buffer holds anything.
 */
final class EngineStateCodec {
  private static final int FORMAT = 1;

  private final StepGraph graph;
  private final ViewStore views;
  private final Map<ViewId, DatasetId> viewInputs;

  EngineStateCodec(StepGraph graph, ViewStore views, Map<ViewId, DatasetId> viewInputs) {
    this.graph = graph;
    this.views = views;
    this.viewInputs = viewInputs;
  }

  byte[] encode(Map<Stage, StageRuntime> runtimes) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(FORMAT);
      out.writeInt(runtimes.size());
      for (StageRuntime runtime : runtimes.values()) {
        if (runtime.hasKeyedInput() || !runtime.buffered.isEmpty()) {
          throw new IllegalStateException(
              "Stage " + runtime.stage + " holds undelivered input at a checkpoint");
        }
        out.writeInt(runtime.stage.id());
        out.writeLong(runtime.processedInputWatermark.getMillis());
        out.writeLong(runtime.reportedOutput.getMillis());
        out.writeInt(runtime.times.length);
        for (PartitionTime time : runtime.times) {
          out.writeLong(time.inputWatermark().getMillis());
          out.writeLong(time.outputWatermark().getMillis());
          out.writeLong(time.processingTime().getMillis());
        }
        Coder<WindowedValue<?>> inputCoder = inputCoder(runtime.stage.head());
        writeElements(out, inputCoder, runtime.pushedBack, runtime);
        for (List<ShuffleRecord> records : runtime.keyedPushedBack) {
          out.writeInt(records.size());
          for (ShuffleRecord record : records) {
            writeBytes(out, record.key().bytes());
            writeBytes(
                out,
                CoderUtils.encodeToByteArray(required(inputCoder, runtime), record.element()));
          }
        }
        Optional<byte[]> position =
            runtime.stage.head() instanceof Step.SourceStep source
                ? source.source().position()
                : Optional.empty();
        out.writeBoolean(position.isPresent());
        if (position.isPresent()) {
          writeBytes(out, position.get());
        }
      }
      out.writeInt(viewInputs.size());
      for (Map.Entry<ViewId, DatasetId> view : viewInputs.entrySet()) {
        out.writeInt(view.getKey().id());
        views.encode(view.getKey(), coderOf(view.getValue()), out);
      }
    }
    return bytes.toByteArray();
  }

  void restore(Map<Stage, StageRuntime> runtimes, byte[] state) throws Exception {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(state))) {
      if (in.readInt() != FORMAT) {
        throw new IllegalStateException("Unknown engine checkpoint format");
      }
      int stages = in.readInt();
      if (stages != runtimes.size()) {
        throw new IllegalStateException(
            "The checkpoint has " + stages + " stages, this pipeline " + runtimes.size());
      }
      for (StageRuntime runtime : runtimes.values()) {
        int id = in.readInt();
        if (id != runtime.stage.id()) {
          throw new IllegalStateException(
              "The checkpoint's stage " + id + " does not match stage " + runtime.stage);
        }
        runtime.processedInputWatermark = new Instant(in.readLong());
        runtime.reportedOutput = new Instant(in.readLong());
        int partitions = in.readInt();
        if (partitions != runtime.times.length) {
          throw new IllegalStateException(
              "The checkpoint has "
                  + partitions
                  + " partitions for stage "
                  + runtime.stage
                  + ", this run "
                  + runtime.times.length
                  + " (resume with the same --parallelism)");
        }
        for (PartitionTime time : runtime.times) {
          Instant input = new Instant(in.readLong());
          Instant output = new Instant(in.readLong());
          time.restore(input, output, new Instant(in.readLong()));
        }
        Coder<WindowedValue<?>> inputCoder = inputCoder(runtime.stage.head());
        runtime.pushedBack = readElements(in, inputCoder, runtime);
        for (int p = 0; p < runtime.keyedPushedBack.length; p++) {
          int count = in.readInt();
          List<ShuffleRecord> records = new ArrayList<>(count);
          for (int i = 0; i < count; i++) {
            ByteKey key = ByteKey.of(readBytes(in));
            WindowedValue<?> element =
                CoderUtils.decodeFromByteArray(required(inputCoder, runtime), readBytes(in));
            records.add(new ShuffleRecord(key, element));
          }
          runtime.keyedPushedBack[p] = records;
        }
        if (in.readBoolean()) {
          byte[] position = readBytes(in);
          ((Step.SourceStep) runtime.stage.head()).source().restore(position);
        }
      }
      int viewCount = in.readInt();
      for (int v = 0; v < viewCount; v++) {
        int id = in.readInt();
        Map.Entry<ViewId, DatasetId> view =
            viewInputs.entrySet().stream()
                .filter(e -> e.getKey().id() == id)
                .findFirst()
                .orElseThrow(
                    () -> new IllegalStateException("The checkpoint has an unknown view " + id));
        views.restore(view.getKey(), coderOf(view.getValue()), in);
      }
    }
  }

  private Coder<WindowedValue<?>> inputCoder(Step head) {
    List<DatasetId> inputs = head.inputs();
    return inputs.isEmpty() ? null : coderOf(inputs.get(0));
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private Coder<WindowedValue<?>> coderOf(DatasetId dataset) {
    return (Coder) graph.coder(dataset);
  }

  private static Coder<WindowedValue<?>> required(
      Coder<WindowedValue<?>> coder, StageRuntime runtime) {
    if (coder == null) {
      throw new IllegalStateException(
          "Stage " + runtime.stage + " has pushed-back input without a coder to checkpoint it");
    }
    return coder;
  }

  private static void writeElements(
      DataOutputStream out,
      Coder<WindowedValue<?>> coder,
      List<WindowedValue<?>> elements,
      StageRuntime runtime)
      throws IOException {
    out.writeInt(elements.size());
    for (WindowedValue<?> element : elements) {
      writeBytes(out, CoderUtils.encodeToByteArray(required(coder, runtime), element));
    }
  }

  private static List<WindowedValue<?>> readElements(
      DataInputStream in, Coder<WindowedValue<?>> coder, StageRuntime runtime) throws IOException {
    int count = in.readInt();
    List<WindowedValue<?>> elements = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      elements.add(CoderUtils.decodeFromByteArray(required(coder, runtime), readBytes(in)));
    }
    return elements;
  }

  private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  private static byte[] readBytes(DataInputStream in) throws IOException {
    byte[] bytes = new byte[in.readInt()];
    in.readFully(bytes);
    return bytes;
  }
}
