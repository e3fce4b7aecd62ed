package io.microbatch.runner.status;

import java.util.List;
import java.util.Map;

/**
 * What the status page shows at one moment: the pipeline's state, totals since it started, its
 * stage graph, every dataset's watermark and the most recent batches. Plain values only, so that
 * {@link StatusJson} writes it as it is.
 *
 * @param state the pipeline's state ({@code RUNNING}, {@code DONE}, ...)
 * @param streaming whether the pipeline runs in streaming mode
 * @param batchIntervalMillis the configured time between batch starts in streaming mode
 * @param generatedAtMillis when the snapshot was taken, UTC epoch millis
 * @param totals batches and records since the pipeline started
 * @param stages the stages in execution order
 * @param watermarks every dataset's current watermark, in the order of the stage graph
 * @param batches the most recent batches, oldest first
 */
public record StatusSnapshot(
    String state,
    boolean streaming,
    long batchIntervalMillis,
    long generatedAtMillis,
    Totals totals,
    List<StageView> stages,
    List<WatermarkView> watermarks,
    List<BatchView> batches) {

  /**
   * Counts since the pipeline started (the batch list only keeps recent batches).
   *
   * @param batches committed batches
   * @param recordsRead records all sources emitted
   */
  public record Totals(long batches, long recordsRead) {}

  /**
   * One stage of the plan.
   *
   * @param id the stage's id
   * @param head the name of the step heading it
   * @param kind what heads it: {@code source}, {@code keyed}, {@code element} or {@code view}
   * @param steps the steps it runs, head first, then the fused element-wise steps
   * @param upstream ids of the stages that run before it in a round
   * @param outputs the datasets it produces and where each goes
   * @param watermarkMillis the lowest watermark among its outputs (null if it has none)
   */
  public record StageView(
      int id,
      String head,
      String kind,
      List<StepView> steps,
      List<Integer> upstream,
      List<OutputView> outputs,
      Long watermarkMillis) {}

  /**
   * One step of a stage.
   *
   * @param name the user-visible step name
   * @param kind {@code source}, {@code keyed}, {@code element} or {@code view}
   */
  public record StepView(String name, String kind) {}

  /**
   * A dataset produced in a stage and its consumers.
   *
   * @param dataset the dataset ({@code name#id})
   * @param consumers each as {@code step:NAME}, {@code shuffle:STAGE}, {@code buffer:STAGE} or
   *     {@code view:ID}
   */
  public record OutputView(String dataset, List<String> consumers) {}

  /**
   * A dataset's watermark.
   *
   * @param dataset the dataset ({@code name#id})
   * @param millis UTC epoch millis; Beam's minimum and maximum timestamps stand for -inf and +inf
   * @param display ISO-8601, or {@code -inf} / {@code +inf}
   */
  public record WatermarkView(String dataset, long millis, String display) {}

  /**
   * One committed batch.
   *
   * @param id the batch's sequence number
   * @param startMillis when it started, UTC epoch millis
   * @param recordsRead records all sources emitted in it
   * @param inputRate records per second: its records over the batch interval in streaming mode,
   *     over its processing time otherwise
   * @param processingMillis how long it ran
   * @param schedulingDelayMillis how late it started
   * @param totalDelayMillis scheduling delay plus processing and checkpoint time
   * @param rounds rounds until it became quiescent
   * @param recordsReadPerSource records read per source step
   * @param intakeLimitPerSource backpressure's limit for the next batch per throttled source
   * @param checkpointMillis how long logging and checkpointing it took
   * @param stateBytes keyed state after it, over all stages (approximate)
   * @param stateBytesPerStage keyed state per keyed stage, by its first step; -1 if unknown
   */
  public record BatchView(
      long id,
      long startMillis,
      long recordsRead,
      double inputRate,
      long processingMillis,
      long schedulingDelayMillis,
      long totalDelayMillis,
      int rounds,
      Map<String, Long> recordsReadPerSource,
      Map<String, Long> intakeLimitPerSource,
      long checkpointMillis,
      long stateBytes,
      Map<String, Long> stateBytesPerStage) {}
}
