package io.microbatch.checkpoint;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
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

  @Test
  void writesNoHadoopChecksumSideFilesAndDropsStaleOnes() throws IOException {
    CheckpointDirectory dir = open(1);
    dir.bind(JobFingerprint.builder().step("Count", "KeyedStep", "VarLongCoder").build());
    // A log entry written through Hadoop's LocalFileSystem, as earlier versions did: with a .crc.
    overwrite("offsets/0", FrameCodec.encode(FrameCodec.Kind.OFFSETS, new byte[] {1}));
    Path root = Path.of(java.net.URI.create(uri)).resolve("v1");
    assertThat(Files.exists(root.resolve("offsets/.0.crc")), is(true));
    assertThat(dir.log().readOffsets(0).orElseThrow(), equalTo(new byte[] {1}));
    dir.log().writeCommit(0, new byte[] {2});
    try (RocksState state = RocksState.fresh(local.resolve("work"))) {
      for (int batch = 0; batch < 3; batch++) {
        state.put(0, 0, 50, "b" + batch);
        dir.publishSnapshot(batch, state.snapshot(local.resolve("s" + batch)));
      }
    }
    // Purging entry 0 took its side file along; nothing else ever had one.
    try (Stream<Path> files = Files.walk(root)) {
      List<Path> hidden = files.filter(f -> f.getFileName().toString().startsWith(".")).toList();
      assertThat(hidden, is(empty()));
    }
  }
}
