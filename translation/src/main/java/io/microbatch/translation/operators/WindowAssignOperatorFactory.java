package io.microbatch.translation.operators;

import io.microbatch.engine.graph.DatasetId;
import io.microbatch.engine.operator.ElementOperator;
import io.microbatch.engine.operator.ElementOperatorFactory;
import io.microbatch.engine.operator.Emitter;
import io.microbatch.engine.operator.OperatorContext;
import java.util.Collection;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.WindowFn;
import org.apache.beam.sdk.values.WindowedValue;
import org.apache.beam.sdk.values.WindowedValues;
import org.joda.time.Instant;

/** Assigns each element to the windows its {@link WindowFn} picks (Window.into). */
public final class WindowAssignOperatorFactory<T, W extends BoundedWindow>
    implements ElementOperatorFactory {
  private final WindowFn<T, W> windowFn;
  private final DatasetId output;

  public WindowAssignOperatorFactory(WindowFn<T, W> windowFn, DatasetId output) {
    this.windowFn = windowFn;
    this.output = output;
  }

  @Override
  public ElementOperator create(OperatorContext context) {
    Emitter emitter = context.output(output);
    return new ElementOperator() {
      @Override
      public void startBundle() {}

      @Override
      @SuppressWarnings("unchecked")
      public void process(WindowedValue<?> input) throws Exception {
        WindowedValue<T> element = (WindowedValue<T>) input;
        for (WindowedValue<T> single : element.explodeWindows()) {
          BoundedWindow window = single.getWindows().iterator().next();
          Collection<W> windows = windowFn.assignWindows(new Context(single, window));
          emitter.emit(
              WindowedValues.of(
                  single.getValue(), single.getTimestamp(), windows, single.getPaneInfo()));
        }
      }

      @Override
      public void finishBundle() {}
    };
  }

  private final class Context extends WindowFn<T, W>.AssignContext {
    private final WindowedValue<T> element;
    private final BoundedWindow window;

    Context(WindowedValue<T> element, BoundedWindow window) {
      windowFn.super();
      this.element = element;
      this.window = window;
    }

    @Override
    public T element() {
      return element.getValue();
    }

    @Override
    public Instant timestamp() {
      return element.getTimestamp();
    }

    @Override
    public BoundedWindow window() {
      return window;
    }
  }
}
