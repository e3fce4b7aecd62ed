package io.microbatch.examples;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.Read;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.options.StreamingOptions;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.AfterPane;
import org.apache.beam.sdk.transforms.windowing.AfterProcessingTime;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.joda.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts generated events per kind in fixed event-time windows, in streaming mode, and logs every
 * pane: early panes on processing time while a window is open, the on-time pane when the watermark
 * passes its end, and late panes for events that arrive behind the watermark within the allowed
 * lateness. Runs until stopped (Ctrl-C), or for {@code --maxRunSeconds}.
 */
public final class StreamingWindowedCounts {
  private static final Logger LOG = LoggerFactory.getLogger(StreamingWindowedCounts.class);

  /** Options of the example. */
  public interface Options extends StreamingOptions {
    @Description("Generated events per second.")
    @Default.Long(200)
    long getEventsPerSecond();

    void setEventsPerSecond(long value);

    @Description("Length of the fixed event-time windows, in seconds.")
    @Default.Long(2)
    long getWindowSeconds();

    void setWindowSeconds(long value);

    @Description("Processing time after a pane's first element before an early pane fires, ms.")
    @Default.Long(500)
    long getEarlyFiringDelayMillis();

    void setEarlyFiringDelayMillis(long value);

    @Description("How long after a window's end late events still update its count, in seconds.")
    @Default.Long(30)
    long getAllowedLatenessSeconds();

    void setAllowedLatenessSeconds(long value);

    @Description("Stop (cancel) after this many seconds; 0 runs until the process is stopped.")
    @Default.Long(0)
    long getMaxRunSeconds();

    void setMaxRunSeconds(long value);
  }

  /** Logs each pane of a count, and counts panes per timing in the metric {@code panes<TIMING>}. */
  static final class LogPanes extends DoFn<KV<String, Long>, Void> {
    @ProcessElement
    public void process(@Element KV<String, Long> count, BoundedWindow window, PaneInfo pane) {
      Metrics.counter(StreamingWindowedCounts.class, "panes" + pane.getTiming()).inc();
      LOG.info(
          "window {} {} pane #{}: {} = {}",
          window,
          pane.getTiming(),
          pane.getIndex(),
          count.getKey(),
          count.getValue());
    }
  }

  /** Builds the pipeline: generated events, windowed and triggered counts, logged panes. */
  public static Pipeline create(Options options) {
    Pipeline pipeline = Pipeline.create(options);
    pipeline
        .apply("Events", Read.from(new OutOfOrderEventSource(options.getEventsPerSecond())))
        .apply(
            "Window",
            Window.<String>into(FixedWindows.of(Duration.standardSeconds(options.getWindowSeconds())))
                .triggering(
                    AfterWatermark.pastEndOfWindow()
                        .withEarlyFirings(
                            AfterProcessingTime.pastFirstElementInPane()
                                .plusDelayOf(Duration.millis(options.getEarlyFiringDelayMillis())))
                        .withLateFirings(AfterPane.elementCountAtLeast(1)))
                .withAllowedLateness(Duration.standardSeconds(options.getAllowedLatenessSeconds()))
                .accumulatingFiredPanes())
        .apply("CountPerKind", Count.perElement())
        .apply("LogPanes", ParDo.of(new LogPanes()));
    return pipeline;
  }

  /**
   * Runs the example and returns its result: after {@code --maxRunSeconds} (then cancelled), or
   * when the pipeline ends.
   */
  public static PipelineResult run(String[] args) throws Exception {
    List<String> all = new ArrayList<>(Arrays.asList(args));
    if (all.stream().noneMatch(a -> a.startsWith("--runner="))) {
      all.add("--runner=MicroBatchRunner");
    }
    if (all.stream().noneMatch(a -> a.startsWith("--streaming"))) {
      all.add("--streaming=true");
    }
    // Show each batch's statistics next to the panes (the runner's default level is DEBUG).
    if (all.stream().noneMatch(a -> a.startsWith("--batchLogLevel"))
        && all.stream().anyMatch(a -> a.equals("--runner=MicroBatchRunner"))) {
      all.add("--batchLogLevel=INFO");
    }
    Options options =
        PipelineOptionsFactory.fromArgs(all.toArray(new String[0])).withValidation().as(Options.class);
    PipelineResult result = create(options).run();
    if (options.getMaxRunSeconds() > 0) {
      PipelineResult.State state =
          result.waitUntilFinish(Duration.standardSeconds(options.getMaxRunSeconds()));
      if (state == null) {
        LOG.info("Stopping after {} s", options.getMaxRunSeconds());
        result.cancel();
      }
    } else {
      result.waitUntilFinish();
    }
    return result;
  }

  public static void main(String[] args) throws Exception {
    run(args);
  }
}
