package io.microbatch.state.memory;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.microbatch.state.PartitionState;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The memory backend refuses checkpoints with an error naming the option to change. */
class MemorySnapshotTest {
  @TempDir Path temp;

  @Test
  void refusesSnapshotAndRestoreNamingTheMemoryBackendOption() {
    MemoryStateBackend backend = new MemoryStateBackend();
    assertThat(backend.supportsCheckpoints(), is(false));
    PartitionState partition = backend.open("stage-1", 0);
    UnsupportedOperationException snapshot = assertThrows(UnsupportedOperationException.class,
        () -> partition.snapshot(temp.resolve("s")));
    assertThat(snapshot.getMessage(), containsString("--stateBackend=memory"));
    UnsupportedOperationException restore = assertThrows(UnsupportedOperationException.class,
        () -> backend.restoreFrom(temp));
    assertThat(restore.getMessage(), containsString("--stateBackend=memory"));
  }
}
