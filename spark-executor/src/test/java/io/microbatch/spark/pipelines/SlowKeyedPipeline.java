package io.microbatch.spark.pipelines;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * A keyed stage that takes seconds (a stateful count that sleeps per element) and says where it
 * runs: the first element a process handles leaves a file named after the process id in {@code
 * running}, so a test can kill that process while the stage runs.
 */
public final class SlowKeyedPipeline {
  private SlowKeyedPipeline() {}

  public static void build(Pipeline pipeline, Path running, Path out, long sleepMillis) {
    List<String> words = new ArrayList<>();
    for (int i = 0; i < 160; i++) {
      words.add("k" + (i % 16));
    }
    pipeline
        .apply("Words", Create.of(words).withCoder(StringUtf8Coder.of()))
        .apply("Key", WithKeys.of((String w) -> w).withKeyType(TypeDescriptors.strings()))
        .apply("SlowCount", ParDo.of(new SlowCount(running, sleepMillis)))
        .apply("Write", ParDo.of(new WriteLines(out)));
  }

  /** Counts per key in state, slowly, and outputs the running count. */
  static final class SlowCount extends DoFn<KV<String, String>, String> {
    private final String running;
    private final long sleepMillis;

    @StateId("count")
    private final StateSpec<ValueState<Long>> countSpec = StateSpecs.value(VarLongCoder.of());

    SlowCount(Path running, long sleepMillis) {
      this.running = running.toString();
      this.sleepMillis = sleepMillis;
    }

    @ProcessElement
    public void process(@Element KV<String, String> element,
        @StateId("count") ValueState<Long> count, OutputReceiver<String> output)
        throws InterruptedException {
      try {
        Files.write(Path.of(running).resolve(Long.toString(ProcessHandle.current().pid())),
            new byte[0], StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Thread.sleep(sleepMillis);
      Long current = count.read();
      long next = current == null ? 1 : current + 1;
      count.write(next);
      output.output(element.getKey() + "=" + next);
    }
  }
}
