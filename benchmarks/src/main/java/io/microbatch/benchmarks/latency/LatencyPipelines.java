package io.microbatch.benchmarks.latency;

import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.Read;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;

/**
 * The two pipelines whose end-to-end latency is measured, both over a {@link RateSource} and ending
 * in a DoFn that records into {@link LatencyRecorder}:
 *
 * <ul>
 *   <li>{@code passthrough}: a stateless filter keeping every other event; latency = wall time at the
 *       output DoFn - the event's arrival.
 *   <li>{@code windowed}: events keyed by sequence number modulo {@code keys}, fixed event-time
 *       windows, default trigger, {@code Count.perKey}; latency = wall time at the output DoFn - the
 *       window's end ({@code maxTimestamp + 1 ms}), the earliest wall time at which every event of the
 *       window has arrived, since an event's timestamp is its arrival.
 * </ul>
 */
public final class LatencyPipelines {
  private LatencyPipelines() {}

  /** Adds the named pipeline ({@code passthrough} or {@code windowed}) to {@code p}. */
  public static void add(Pipeline p, String name, RateSource source, Duration window, int keys) {
    PCollection<KV<Long, Long>> events = p.apply("Events", Read.from(source));
    switch (name) {
      case "passthrough" -> events
          .apply("KeepEveryOther", ParDo.of(new KeepEveryOther()))
          .apply("RecordEventLatency", ParDo.of(new RecordEventLatency()));
      case "windowed" -> events
          .apply("KeyBySequence", ParDo.of(new KeyBySequence(keys)))
          .apply("FixedWindows", Window.into(FixedWindows.of(window)))
          .apply("CountPerKey", Count.perKey())
          .apply("RecordPaneLatency", ParDo.of(new RecordPaneLatency()));
      default -> throw new IllegalArgumentException("Unknown pipeline " + name + " (passthrough, windowed)");
    }
  }

  /** The stateless filter: keeps events with an even sequence number. */
  static final class KeepEveryOther extends DoFn<KV<Long, Long>, KV<Long, Long>> {
    @ProcessElement
    public void process(@Element KV<Long, Long> event, OutputReceiver<KV<Long, Long>> out) {
      if (event.getKey() % 2 == 0) {
        out.output(event);
      }
    }
  }

  /** Records each event's latency from its arrival (the value, in epoch microseconds). */
  static final class RecordEventLatency extends DoFn<KV<Long, Long>, Void> {
    @ProcessElement
    public void process(@Element KV<Long, Long> event) {
      LatencyRecorder.record(event.getValue(), WallClock.nowMicros());
    }
  }

  /** Keys each event by its sequence number modulo the key count, with a count of one. */
  static final class KeyBySequence extends DoFn<KV<Long, Long>, KV<Long, Long>> {
    private final int keys;

    KeyBySequence(int keys) {
      this.keys = keys;
    }

    @ProcessElement
    public void process(@Element KV<Long, Long> event, OutputReceiver<KV<Long, Long>> out) {
      out.output(KV.of(event.getKey() % keys, 1L));
    }
  }

  /** Records each pane's latency from its window's end. */
  static final class RecordPaneLatency extends DoFn<KV<Long, Long>, Void> {
    @ProcessElement
    public void process(BoundedWindow window) {
      long endMicros = (window.maxTimestamp().getMillis() + 1) * 1_000;
      LatencyRecorder.record(endMicros, WallClock.nowMicros());
    }
  }
}
