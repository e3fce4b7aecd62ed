package io.microbatch.translation.operators;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.apache.beam.runners.core.construction.SerializablePipelineOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.reflect.DoFnInvokers;
import org.apache.beam.sdk.util.SerializableUtils;

/**
 * Owns every instance of one step's DoFn. Instances are deserialized copies (never shared between
 * threads), set up once, reused across bundles, torn down after a failed bundle or at the end.
 *
 * <p>Serializable as its recipe only (the serialized DoFn, step name and options): a copy sent
 * to a remote executor starts with no instances and builds its own there.
 */
public final class DoFnInstancePool<InputT, OutputT> implements AutoCloseable, java.io.Serializable {
  private static final long serialVersionUID = 1L;
  private final byte[] serializedFn;
  private final String stepName;
  private final SerializablePipelineOptions serializableOptions;
  private transient PipelineOptions options;
  private transient Deque<DoFn<InputT, OutputT>> idle = new ArrayDeque<>();
  private transient Set<DoFn<InputT, OutputT>> live =
      Collections.newSetFromMap(new IdentityHashMap<>());

  public DoFnInstancePool(
      DoFn<InputT, OutputT> fn, String stepName, SerializablePipelineOptions options) {
    this.serializedFn = SerializableUtils.serializeToByteArray(fn);
    this.stepName = stepName;
    this.serializableOptions = options;
    this.options = options.get();
  }

  /** A deserialized pool starts empty: instances never travel, only the recipe does. */
  private void readObject(java.io.ObjectInputStream in)
      throws java.io.IOException, ClassNotFoundException {
    in.defaultReadObject();
    options = serializableOptions.get();
    idle = new ArrayDeque<>();
    live = Collections.newSetFromMap(new IdentityHashMap<>());
  }

  /** An instance that is set up and used by no one else until {@link #release}. */
  @SuppressWarnings("unchecked")
  public DoFn<InputT, OutputT> borrow() {
    synchronized (this) {
      DoFn<InputT, OutputT> fn = idle.poll();
      if (fn != null) {
        return fn;
      }
    }
    DoFn<InputT, OutputT> fn =
        (DoFn<InputT, OutputT>)
            SerializableUtils.deserializeFromByteArray(serializedFn, "DoFn of " + stepName);
    DoFnInvokers.tryInvokeSetupFor(fn, options);
    synchronized (this) {
      live.add(fn);
    }
    return fn;
  }

  public synchronized void release(DoFn<InputT, OutputT> fn) {
    idle.push(fn);
  }

  /** Tears the instance down; used after a failed bundle, whose instance must not be reused. */
  public void discard(DoFn<InputT, OutputT> fn) {
    synchronized (this) {
      if (!live.remove(fn)) {
        return;
      }
      idle.remove(fn);
    }
    DoFnInvokers.invokerFor(fn).invokeTeardown();
  }

  @Override
  public void close() {
    List<DoFn<InputT, OutputT>> all;
    synchronized (this) {
      all = new ArrayList<>(live);
      live.clear();
      idle.clear();
    }
    RuntimeException failure = null;
    for (DoFn<InputT, OutputT> fn : all) {
      try {
        DoFnInvokers.invokerFor(fn).invokeTeardown();
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
