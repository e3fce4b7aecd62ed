package io.microbatch.checkpoint;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checkpoint contract on {@code hdfs://} (a MiniDFSCluster on 127.0.0.1), plus publishing
 * across and during a NameNode restart.
 */
class HdfsCheckpointTest extends CheckpointStoreContract {
  private static final JobFingerprint JOB =
      JobFingerprint.builder().step("Count", "KeyedStep", "VarLongCoder").build();

  @TempDir static Path clusterDir;
  private static MiniDFSCluster cluster;
  private static Configuration conf;

  @BeforeAll
  static void startCluster() throws IOException {
    cluster = MiniHdfs.start(clusterDir);
    conf = cluster.getConfiguration(0);
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.shutdown(true);
    }
  }

  @Override
  String baseUri() {
    return cluster.getURI().toString() + "/checkpoints";
  }

  @Override
  Configuration hadoopConf() {
    return conf;
  }

  @Test
  void publishesAndRestoresAcrossANameNodeRestart() throws Exception {
    CheckpointDirectory dir = open(3);
    dir.bind(JOB);
    try (RocksState state = RocksState.fresh(local.resolve("work"))) {
      state.put(0, 0, 500, "before");
      dir.publishSnapshot(1, state.snapshot(local.resolve("s1")));

      cluster.restartNameNode(true);

      state.put(0, 0, 50, "after");
      PublishResult result = dir.publishSnapshot(2, state.snapshot(local.resolve("s2")));
      assertThat(result.filesReused() > 0, equalTo(true));
    }
    RestoredSnapshot restored = open(3).snapshots().restoreLatest(local.resolve("r")).orElseThrow();
    assertThat(restored.batchId(), equalTo(2L));
    try (RocksState state = RocksState.restored(local.resolve("work-2"), local.resolve("r"))) {
      assertThat(state.get(0, 10), equalTo("after-10"));
      assertThat(state.get(0, 100), equalTo("before-100"));
    }
  }

  @Test
  void aPublishDuringANameNodeRestartLeavesAUsableCheckpoint() throws Exception {
    CheckpointDirectory dir = open(3);
    dir.bind(JOB);
    try (RocksState state = RocksState.fresh(local.resolve("work"))) {
      state.put(0, 0, 2000, "first");
      dir.publishSnapshot(1, state.snapshot(local.resolve("s1")));
      state.put(0, 0, 2000, "second");
      var second = state.snapshot(local.resolve("s2"));

      CompletableFuture<Void> restart = CompletableFuture.runAsync(() -> {
        try {
          cluster.restartNameNode(true);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      boolean published;
      try {
        dir.publishSnapshot(2, second);
        published = true;
      } catch (IOException e) {
        published = false; // the engine retries at the next snapshot
      }
      restart.get(60, TimeUnit.SECONDS);

      long expected = published ? 2 : 1;
      RestoredSnapshot restored =
          open(3).snapshots().restoreLatest(local.resolve("r")).orElseThrow();
      assertThat(restored.batchId(), equalTo(expected));
      try (RocksState back = RocksState.restored(local.resolve("w2"), local.resolve("r"))) {
        assertThat(back.get(0, 1999), anyOf(equalTo(published ? "second-1999" : "first-1999")));
      }

      // Whatever happened, the next publish succeeds and is the newest complete snapshot.
      state.put(0, 0, 10, "third");
      dir.publishSnapshot(3, state.snapshot(local.resolve("s3")));
      RestoredSnapshot latest =
          open(3).snapshots().restoreLatest(local.resolve("r3")).orElseThrow();
      assertThat(latest.batchId(), equalTo(3L));
    }
  }
}
