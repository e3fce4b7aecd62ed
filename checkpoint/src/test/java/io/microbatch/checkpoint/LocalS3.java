package io.microbatch.checkpoint;

import java.net.URI;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * An in-process s3proxy on 127.0.0.1 over an in-memory blob store, with one bucket, for tests and
 * benchmarks; {@link #hadoopConf} reaches it through {@code s3a://<bucket>/}. Other modules' tests
 * use it through this module's test jar.
 */
public final class LocalS3 implements AutoCloseable {
  private static final String ACCESS_KEY = "microbatch-access";
  private static final String SECRET_KEY = "microbatch-secret";

  private final BlobStoreContext context;
  private final S3Proxy proxy;

  private LocalS3(BlobStoreContext context, S3Proxy proxy) {
    this.context = context;
    this.proxy = proxy;
  }

  /** Starts the server with an empty {@code bucket} and waits until it serves. */
  public static LocalS3 start(String bucket) throws Exception {
    BlobStoreContext context = ContextBuilder.newBuilder("transient")
        .credentials("identity", "credential")
        .overrides(new Properties())
        .build(BlobStoreContext.class);
    BlobStore store = context.getBlobStore();
    store.createContainerInLocation(null, bucket);
    S3Proxy proxy = S3Proxy.builder()
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
    return new LocalS3(context, proxy);
  }

  /** Path-style access, region us-east-1, fixed keys, no SSL, few retries. */
  public Configuration hadoopConf() {
    Configuration conf = new Configuration();
    settings().forEach(conf::set);
    return conf;
  }

  /** The same settings as Hadoop keys and values, e.g. for a job's {@code --checkpointHadoopConf}. */
  public Map<String, String> settings() {
    Map<String, String> settings = new TreeMap<>();
    settings.put("fs.s3a.endpoint", "http://127.0.0.1:" + proxy.getPort());
    settings.put("fs.s3a.endpoint.region", "us-east-1");
    settings.put("fs.s3a.path.style.access", "true");
    settings.put("fs.s3a.connection.ssl.enabled", "false");
    settings.put(
        "fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
    settings.put("fs.s3a.access.key", ACCESS_KEY);
    settings.put("fs.s3a.secret.key", SECRET_KEY);
    // s3proxy's transient store has no object versions to pin reads to.
    settings.put("fs.s3a.change.detection.version.required", "false");
    settings.put("fs.s3a.attempts.maximum", "2");
    settings.put("fs.s3a.retry.limit", "2");
    settings.put("fs.s3a.impl.disable.cache", "true");
    return settings;
  }

  /** The server's port on 127.0.0.1. */
  public int port() {
    return proxy.getPort();
  }

  @Override
  public void close() throws Exception {
    proxy.stop();
    context.close();
  }
}
