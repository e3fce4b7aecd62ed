package io.microbatch.checkpoint;

import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.io.TempDir;

/** The checkpoint contract on the local file system ({@code file://}). */
class LocalFileSystemCheckpointTest extends CheckpointStoreContract {
  @TempDir Path checkpoints;

  @Override
  String baseUri() {
    return checkpoints.toUri().toString().replaceAll("/$", "");
  }

  @Override
  Configuration hadoopConf() {
    return new Configuration();
  }
}
