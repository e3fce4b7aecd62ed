package io.microbatch.examples;

import java.util.Arrays;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the words of a text and writes "word: count" lines to files. Runs on MicroBatch by default;
 * any other runner works with {@code --runner=...}.
 */
public final class WordCount {
  private static final Logger LOG = LoggerFactory.getLogger(WordCount.class);

  /** Options of the example. */
  public interface Options extends PipelineOptions {
    @Description("Text to count the words of (any Beam file path or glob).")
    @Default.String("data/the-river.txt")
    String getInputFile();

    void setInputFile(String value);

    @Description("Prefix of the output files.")
    @Default.String("target/wordcount/counts")
    String getOutput();

    void setOutput(String value);
  }

  /** Splits lines into lowercase words. */
  static final class ExtractWords extends DoFn<String, String> {
    private final Counter emptyLines = Metrics.counter(ExtractWords.class, "emptyLines");

    @ProcessElement
    public void process(@Element String line, OutputReceiver<String> out) {
      if (line.isBlank()) {
        emptyLines.inc();
        return;
      }
      Arrays.stream(line.toLowerCase(java.util.Locale.ROOT).split("[^\\p{L}']+"))
          .filter(word -> !word.isEmpty())
          .forEach(out::output);
    }
  }

  /** Lines of text in, "word: count" lines out. */
  public static final class CountWords extends PTransform<PCollection<String>, PCollection<String>> {
    @Override
    public PCollection<String> expand(PCollection<String> lines) {
      return lines
          .apply("ExtractWords", ParDo.of(new ExtractWords()))
          .apply("Count", Count.perElement())
          .apply(
              "Format",
              MapElements.into(TypeDescriptors.strings())
                  .via((KV<String, Long> kv) -> kv.getKey() + ": " + kv.getValue()));
    }
  }

  public static void main(String[] args) {
    String[] withRunner =
        Arrays.stream(args).anyMatch(a -> a.startsWith("--runner="))
            ? args
            : concat(args, "--runner=MicroBatchRunner");
    Options options = PipelineOptionsFactory.fromArgs(withRunner).withValidation().as(Options.class);
    Pipeline pipeline = Pipeline.create(options);
    pipeline
        .apply("Read", TextIO.read().from(options.getInputFile()))
        .apply("CountWords", new CountWords())
        .apply("Write", TextIO.write().to(options.getOutput()));
    pipeline.run().waitUntilFinish();
    LOG.info(
        "Word counts of {} written to {}-*", options.getInputFile(), options.getOutput());
  }

  private static String[] concat(String[] args, String extra) {
    String[] all = Arrays.copyOf(args, args.length + 1);
    all[args.length] = extra;
    return all;
  }
}
