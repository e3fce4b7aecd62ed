package io.microbatch.engine.exec;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.sameInstance;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.junit.jupiter.api.Test;

class RemoteTaskResultTest {

  /** Holds something that does not serialize, as user exceptions sometimes do. */
  private static final class HoldsAThread extends RuntimeException {
    @SuppressWarnings("unused")
    private final Object notSerializable = new Object();

    HoldsAThread(String message, Throwable cause) {
      super(message, cause);
    }
  }

  @Test
  void aSerializableFailureTravelsAsItIs() throws Exception {
    IllegalStateException failure = new IllegalStateException("user code failed");
    RemoteTaskResult result = RemoteTaskResult.failed(failure);
    assertThat(result.failure(), sameInstance(failure));
    Throwable received = roundTrip(result).failure();
    assertThat(received, instanceOf(IllegalStateException.class));
    assertThat(received.getMessage(), equalTo("user code failed"));
  }

  @Test
  void aFailureThatDoesNotSerializeTravelsAsACopyWithItsTextTraceAndCause() throws Exception {
    HoldsAThread failure =
        new HoldsAThread("outer", new IllegalArgumentException("the real cause"));
    Throwable received = roundTrip(RemoteTaskResult.failed(failure)).failure();
    assertThat(received.getMessage(), containsString("HoldsAThread: outer"));
    assertThat(received.getStackTrace()[0], equalTo(failure.getStackTrace()[0]));
    assertThat(received.getCause(), instanceOf(IllegalArgumentException.class));
    assertThat(received.getCause().getMessage(), equalTo("the real cause"));
  }

  private static RemoteTaskResult roundTrip(RemoteTaskResult result) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(result);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (RemoteTaskResult) in.readObject();
    }
  }
}
