package io.microbatch.runner;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.microbatch.state.StateDirectoryException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.values.KV;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --stateBackend} and {@code --stateDir} as a user sets them. */
class StateBackendOptionsTest {
  private static final Map<String, Long> SUMS = new ConcurrentHashMap<>();
  private static final Set<String> SEEN_IN_STATE_DIR = ConcurrentHashMap.newKeySet();

  @TempDir Path temp;

  private static PipelineOptions options(String... args) {
    return PipelineOptionsFactory.fromArgs(args).create();
  }

  /** Records the sums and what the state directory held while the keyed stage ran. */
  static final class Record extends DoFn<KV<String, Long>, Void> {
    private final String stateDir;

    Record(String stateDir) {
      this.stateDir = stateDir;
    }

    @ProcessElement
    public void process(@Element KV<String, Long> kv) throws IOException {
      SUMS.put(kv.getKey(), kv.getValue());
      try (Stream<Path> entries = Files.list(Path.of(stateDir))) {
        entries.forEach(p -> SEEN_IN_STATE_DIR.add(p.getFileName().toString()));
      }
    }
  }

  @Test
  void rocksDbIsTheDefaultBackend() {
    MicroBatchPipelineOptions options =
        options("--runner=MicroBatchRunner").as(MicroBatchPipelineOptions.class);
    assertThat(options.getStateBackend(), equalTo("rocksdb"));
    assertThat(options.getStateDir(), equalTo(null));
    assertThat(StateBackends.forOptions(options).name(), equalTo("rocksdb"));
  }

  @Test
  void keepsKeyedStateUnderTheStateDirAndRemovesItsWorkingFilesAtTheEnd() throws IOException {
    Path stateDir = temp.resolve("state");
    Pipeline p = Pipeline.create(options("--runner=MicroBatchRunner", "--parallelism=2",
        "--stateDir=" + stateDir));
    p.apply(Create.of(KV.of("a", 1L), KV.of("b", 2L), KV.of("a", 3L)))
        .apply(Sum.longsPerKey())
        .apply(ParDo.of(new Record(stateDir.toString())));
    p.run().waitUntilFinish();

    assertThat(SUMS.get("a"), equalTo(4L));
    assertThat(SUMS.get("b"), equalTo(2L));
    assertThat(List.copyOf(SEEN_IN_STATE_DIR), hasItem(startsWith("stage-")));
    try (Stream<Path> left = Files.list(stateDir)) {
      assertThat(left.count(), equalTo(0L));
    }
  }

  @Test
  void failsNamingTheStateDirWhenItCannotBeCreated() throws IOException {
    Path stateDir = Files.createFile(temp.resolve("a-file")).resolve("state");
    Pipeline p = Pipeline.create(options("--runner=MicroBatchRunner",
        "--stateDir=" + stateDir));
    p.apply(Create.of(KV.of("a", 1L))).apply(Sum.longsPerKey());

    Exception e = assertThrows(Exception.class, () -> p.run().waitUntilFinish());
    StateDirectoryException cause = null;
    for (Throwable t = e; t != null && cause == null; t = t.getCause()) {
      if (t instanceof StateDirectoryException sde) {
        cause = sde;
      }
    }
    assertThat(cause, notNullValue());
    assertThat(cause.getMessage(), containsString(stateDir.toString()));
    assertThat(cause.reason(), is(StateDirectoryException.Reason.NOT_CREATABLE));
  }
}
