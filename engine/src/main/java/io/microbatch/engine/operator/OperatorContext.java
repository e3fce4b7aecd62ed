package io.microbatch.engine.operator;

import io.microbatch.engine.graph.DatasetId;
import io.microbatch.engine.view.ViewReader;
import org.apache.beam.sdk.metrics.MetricsContainer;
import org.apache.beam.sdk.metrics.MetricsEnvironment;
import org.apache.beam.sdk.values.WindowedValue;

/** What a partition task gives an operator instance: its outputs, metrics and side inputs. */
public interface OperatorContext {

  /** The index of the partition this operator instance runs on. */
  int partition();

  /** Where the elements of one of the step's output datasets go. */
  Emitter output(DatasetId dataset);

  /** The metrics container of this step for the running batch. */
  MetricsContainer metrics();

  /**
   * Makes this step's metrics container the one user code reports to, and returns the container
   * it replaced; hand that to {@link #exitMetrics} when the step's user code returns. Called per
   * element, so implementations avoid the allocation and thread-local lookup of Beam's scoped
   * container.
   */
  default MetricsContainer enterMetrics() {
    return MetricsEnvironment.setCurrentContainer(metrics());
  }

  /** Restores the metrics container that {@link #enterMetrics} replaced. */
  default void exitMetrics(MetricsContainer previous) {
    MetricsEnvironment.setCurrentContainer(previous);
  }

  /** The side inputs materialized so far. */
  ViewReader views();

  /**
   * Hands an input element back to the engine because a side input it needs is not ready yet for
   * its window; it is offered again once the step's side inputs advanced, and holds the step's
   * output watermark meanwhile. Only for a step that heads its stage.
   */
  void pushBack(WindowedValue<?> element);

  /**
   * Registers work to run once the running batch was logged and committed (bundle finalization,
   * publishing staged output); dropped if the batch fails. A callback that throws fails the job
   * (a restart then replays the batch), so best-effort work catches its own failures.
   */
  void afterCommit(Runnable callback);
}
