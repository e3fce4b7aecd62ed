package io.microbatch.checkpoint;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The checkpoint contract on {@code s3a://} against an in-process s3proxy on 127.0.0.1 (path-style
 * access, region us-east-1, fixed keys): no rename is used to publish anything.
 */
class S3aCheckpointTest extends CheckpointStoreContract {
  private static final String BUCKET = "checkpoints";

  private static LocalS3 s3;
  private static Configuration conf;

  @BeforeAll
  static void startS3() throws Exception {
    s3 = LocalS3.start(BUCKET);
    conf = s3.hadoopConf();
  }

  @AfterAll
  static void stopS3() throws Exception {
    if (s3 != null) {
      s3.close();
    }
  }

  @Override
  String baseUri() {
    return "s3a://" + BUCKET + "/jobs";
  }

  @Override
  Configuration hadoopConf() {
    return conf;
  }
}
