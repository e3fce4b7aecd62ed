package io.microbatch.runner.recovery;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The crash test on {@code s3a://}: an in-memory s3proxy on 127.0.0.1 in the test JVM; every run
 * of the job (a child JVM) gets its endpoint and keys through {@code --checkpointHadoopConf}. 3
 * kills by default, {@code -Dcrash.s3a.kills=N} for more.
 */
class S3aCrashRecoveryTest extends CrashRecoveryContract {
  private static final Logger LOG = LoggerFactory.getLogger(S3aCrashRecoveryTest.class);
  private static final String BUCKET = "crash";
  private static final String ACCESS_KEY = "microbatch-access";
  private static final String SECRET_KEY = "microbatch-secret";

  private static BlobStoreContext context;
  private static S3Proxy proxy;

  @BeforeAll
  static void startS3() throws Exception {
    context =
        ContextBuilder.newBuilder("transient")
            .credentials("identity", "credential")
            .overrides(new Properties())
            .build(BlobStoreContext.class);
    BlobStore store = context.getBlobStore();
    store.createContainerInLocation(null, BUCKET);
    proxy =
        S3Proxy.builder()
            .blobStore(store)
            .endpoint(URI.create("http://127.0.0.1:0"))
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
            .build();
    proxy.start();
    long deadline = System.currentTimeMillis() + 10_000;
    while (!"STARTED".equals(proxy.getState())) {
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException("s3proxy did not start: " + proxy.getState());
      }
      Thread.sleep(10);
    }
    LOG.info("s3proxy at http://127.0.0.1:{}", proxy.getPort());
  }

  @AfterAll
  static void stopS3() throws Exception {
    if (proxy != null) {
      proxy.stop();
    }
    if (context != null) {
      context.close();
    }
  }

  @Override
  CheckpointTarget target(Path dir) {
    return new CheckpointTarget(
        "s3a",
        "s3a://" + BUCKET + "/jobs/crash",
        Map.of(
            "fs.s3a.endpoint", "http://127.0.0.1:" + proxy.getPort(),
            "fs.s3a.endpoint.region", "us-east-1",
            "fs.s3a.path.style.access", "true",
            "fs.s3a.connection.ssl.enabled", "false",
            "fs.s3a.aws.credentials.provider",
                "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider",
            "fs.s3a.access.key", ACCESS_KEY,
            "fs.s3a.secret.key", SECRET_KEY,
            // s3proxy's transient store has no object versions to pin reads to.
            "fs.s3a.change.detection.version.required", "false"));
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
