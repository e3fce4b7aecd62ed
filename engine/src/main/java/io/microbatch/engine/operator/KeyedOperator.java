package io.microbatch.engine.operator;

import io.microbatch.state.ByteKey;
import java.util.List;
import org.apache.beam.runners.core.TimerInternals.TimerData;
import org.apache.beam.sdk.values.WindowedValue;

/** One instance of a keyed step, used by one partition task for one bundle. */
public interface KeyedOperator {

  void startBundle() throws Exception;

  /** Processes this batch's elements of one key, in arrival order. */
  void processKey(ByteKey key, List<WindowedValue<?>> elements) throws Exception;

  /** Fires one due timer of one key; timers are delivered in timestamp order. */
  void onTimer(ByteKey key, TimerData timer) throws Exception;

  void finishBundle() throws Exception;

  /** Called instead of a normal end when the bundle failed. */
  default void abort() {}
}
