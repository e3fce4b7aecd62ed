package io.microbatch.engine.exec;

import io.microbatch.engine.graph.ViewId;
import io.microbatch.engine.view.ViewStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.joda.time.Instant;

/**
 * The side inputs a stage reads, as they are on the driver when the stage runs: each view's
 * contents encoded with its input's coder (see {@link ViewStore#encode}) and the watermark of that
 * input, which decides which windows are ready. Shipped with a remote stage's tasks.
 */
final class ViewSnapshot implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Map<ViewId, byte[]> contents = new HashMap<>();
  private final Map<ViewId, Long> watermarks = new HashMap<>();

  static ViewSnapshot of(
      Iterable<ViewId> views, ViewStore store, RemoteProgram program,
      Function<ViewId, Instant> watermark) throws IOException {
    ViewSnapshot snapshot = new ViewSnapshot();
    for (ViewId view : views) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(bytes);
      store.encode(view, program.viewCoder(view), out);
      out.flush();
      snapshot.contents.put(view, bytes.toByteArray());
      snapshot.watermarks.put(view, watermark.apply(view).getMillis());
    }
    return snapshot;
  }

  /** A store holding these views, ready for the task's operators to read. */
  ViewStore toStore(RemoteProgram program) throws IOException {
    ViewStore store = new ViewStore(view -> {
      Long millis = watermarks.get(view);
      if (millis == null) {
        throw new IllegalStateException("View " + view + " was not shipped with this task");
      }
      return new Instant(millis);
    });
    for (Map.Entry<ViewId, byte[]> view : contents.entrySet()) {
      if (program.isTriggered(view.getKey())) {
        store.declareTriggered(view.getKey());
      }
      store.restore(
          view.getKey(),
          program.viewCoder(view.getKey()),
          new DataInputStream(new ByteArrayInputStream(view.getValue())));
    }
    return store;
  }
}
