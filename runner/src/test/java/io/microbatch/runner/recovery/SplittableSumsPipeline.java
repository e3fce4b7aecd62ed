package io.microbatch.runner.recovery;

import java.nio.file.Path;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.range.OffsetRange;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Impulse;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.splittabledofn.RestrictionTracker;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Like {@link KeyedSumsPipeline}, but the numbers come from an unbounded splittable DoFn that
 * emits a few per call and resumes its residual restriction from a processing-time timer, the
 * shape of KafkaIO's SDF read. Once the impulse ran, that timer is all that drives the read: a job
 * restored from a checkpoint first fires the restored timers, before any new timer is set.
 */
public final class SplittableSumsPipeline {
  /** Counts every number the splittable DoFn emits, in this run. */
  static final String EMITTED = "emitted";

  private SplittableSumsPipeline() {}

  public static Pipeline create(PipelineOptions options, long count, Path out) {
    Pipeline p = Pipeline.create(options);
    p.apply("Impulse", Impulse.create())
        .apply("Numbers", ParDo.of(new SlowNumbers(count)))
        .apply(
            "ByKey",
            MapElements.into(TypeDescriptors.kvs(TypeDescriptors.longs(), TypeDescriptors.longs()))
                .via(v -> KV.of(v % 5, v)))
        .apply("Sum", ParDo.of(new KeyedSumsPipeline.SumUntilEnd(out.toString())));
    return p;
  }

  /** Emits 0..count-1, {@link #PER_CALL} numbers per call, then asks to be resumed. */
  @DoFn.UnboundedPerElement
  static final class SlowNumbers extends DoFn<byte[], Long> {
    /** Few per call, so that the read spans many batches and checkpoints. */
    private static final int PER_CALL = 5;

    private final long count;
    private final Counter emitted = Metrics.counter(SplittableSumsPipeline.class, EMITTED);

    SlowNumbers(long count) {
      this.count = count;
    }

    @GetInitialRestriction
    public OffsetRange initialRestriction() {
      return new OffsetRange(0, count);
    }

    @GetRestrictionCoder
    public OffsetRange.Coder restrictionCoder() {
      return OffsetRange.Coder.of();
    }

    @ProcessElement
    public ProcessContinuation process(
        RestrictionTracker<OffsetRange, Long> tracker, OutputReceiver<Long> out) {
      long from = tracker.currentRestriction().getFrom();
      for (long i = from; i < from + PER_CALL; i++) {
        if (!tracker.tryClaim(i)) {
          return ProcessContinuation.stop();
        }
        out.output(i);
        emitted.inc();
      }
      return ProcessContinuation.resume();
    }
  }
}
