package io.microbatch.runner.recovery;

import io.microbatch.checkpoint.MiniHdfs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The crash test on {@code hdfs://}: a MiniDFSCluster on 127.0.0.1 in the test JVM (the checkpoint
 * module's {@link MiniHdfs}), which every run of the job (a child JVM) connects to. 3 kills by
 * default, {@code -Dcrash.hdfs.kills=N} for more.
 */
class HdfsCrashRecoveryTest extends CrashRecoveryContract {
  private static final Logger LOG = LoggerFactory.getLogger(HdfsCrashRecoveryTest.class);

  @TempDir static Path clusterDir;
  private static MiniDFSCluster cluster;

  @BeforeAll
  static void startCluster() throws Exception {
    // The cluster logs every block and RPC at INFO; the kills and the seed must stay readable.
    for (String noisy : List.of("org.apache.hadoop", "BlockStateChange", "org.eclipse.jetty")) {
      System.setProperty("org.slf4j.simpleLogger.log." + noisy, "warn");
    }
    cluster = MiniHdfs.start(clusterDir);
    LOG.info("MiniDFSCluster at {}", uri());
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.shutdown(true);
    }
  }

  @Override
  CheckpointTarget target(Path dir) {
    // One DataNode: files asking for Hadoop's default 3 replicas would stay under-replicated.
    return new CheckpointTarget(
        "hdfs", uri() + "/crash/checkpoints", Map.of("dfs.replication", "1"));
  }

  private static String uri() {
    return MiniHdfs.uri(cluster);
  }

  @Override
  long count() {
    // At least 6 s of 100 ms batches (a snapshot to HDFS may take longer than a batch).
    return 1_200;
  }

  @Override
  int kills() {
    return Integer.getInteger("crash.hdfs.kills", 3);
  }

  @Override
  Duration minDelay() {
    return Duration.ofMillis(200);
  }

  @Override
  Duration maxDelay() {
    return Duration.ofMillis(3_000);
  }
}
