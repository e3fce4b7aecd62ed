package io.microbatch.runner.recovery;

import io.microbatch.checkpoint.LocalS3;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The crash test on {@code s3a://}: an in-memory s3proxy on 127.0.0.1 in the test JVM (the
 * checkpoint module's {@link LocalS3}); every run of the job (a child JVM) gets its endpoint and
 * keys through {@code --checkpointHadoopConf}. 3 kills by default, {@code -Dcrash.s3a.kills=N} for
 * more.
 */
class S3aCrashRecoveryTest extends CrashRecoveryContract {
  private static final Logger LOG = LoggerFactory.getLogger(S3aCrashRecoveryTest.class);
  private static final String BUCKET = "crash";

  private static LocalS3 s3;

  @BeforeAll
  static void startS3() throws Exception {
    s3 = LocalS3.start(BUCKET);
    LOG.info("s3proxy at http://127.0.0.1:{}", s3.port());
  }

  @AfterAll
  static void stopS3() throws Exception {
    if (s3 != null) {
      s3.close();
    }
  }

  @Override
  CheckpointTarget target(Path dir) {
    return new CheckpointTarget("s3a", "s3a://" + BUCKET + "/jobs/crash", s3.settings());
  }
  @Override
  int kills() {
    return Integer.getInteger("crash.s3a.kills", 3);
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
