package io.microbatch.runner.recovery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.Read;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * The recovery tests' job: numbers 0..count-1 summed and counted per key (number mod 5) in keyed
 * state; at the end of input a timer writes each key's sum and count to {@code <out>/key-<k>}
 * (replacing the file, so a replayed write does not duplicate).
 */
public final class KeyedSumsPipeline {
  private KeyedSumsPipeline() {}

  public static Pipeline create(PipelineOptions options, long count, Path out) {
    Pipeline p = Pipeline.create(options);
    p.apply("Numbers", Read.from(new ResumableCountingSource(count)))
        .apply(
            "ByKey",
            MapElements.into(TypeDescriptors.kvs(TypeDescriptors.longs(), TypeDescriptors.longs()))
                .via(v -> KV.of(v % 5, v)))
        .apply("Sum", ParDo.of(new SumUntilEnd(out.toString())));
    return p;
  }

  /** Keeps a key's sum and count; writes them once input ended. */
  static final class SumUntilEnd extends DoFn<KV<Long, Long>, Void> {
    private final String out;

    @StateId("sum")
    private final StateSpec<ValueState<Long>> sum = StateSpecs.value();

    @StateId("count")
    private final StateSpec<ValueState<Long>> count = StateSpecs.value();

    @StateId("key")
    private final StateSpec<ValueState<Long>> key = StateSpecs.value();

    @TimerId("end")
    private final TimerSpec end = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    SumUntilEnd(String out) {
      this.out = out;
    }

    @ProcessElement
    public void process(
        @Element KV<Long, Long> element,
        @StateId("sum") ValueState<Long> sum,
        @StateId("count") ValueState<Long> count,
        @StateId("key") ValueState<Long> key,
        @TimerId("end") Timer end) {
      Long s = sum.read();
      Long c = count.read();
      sum.write((s == null ? 0 : s) + element.getValue());
      count.write((c == null ? 0 : c) + 1);
      key.write(element.getKey());
      end.set(GlobalWindow.INSTANCE.maxTimestamp());
    }

    @OnTimer("end")
    public void onEnd(
        @StateId("sum") ValueState<Long> sum,
        @StateId("count") ValueState<Long> count,
        @StateId("key") ValueState<Long> key) {
      Path dir = Path.of(out);
      try {
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "key-", ".tmp");
        Files.writeString(tmp, sum.read() + "," + count.read() + "\n", StandardCharsets.UTF_8);
        Files.move(
            tmp, dir.resolve("key-" + key.read()), StandardCopyOption.REPLACE_EXISTING,
            StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
