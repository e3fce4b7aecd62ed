package io.microbatch.translation.files;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.microbatch.translation.RunnerOverrides;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.io.WriteFiles;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.apache.beam.sdk.testing.CrashingRunner;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.PTransform;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which file writes become staged, exactly-once writes. */
class StagedWriteFilesOverrideTest {
  @TempDir Path dir;

  private Pipeline textWrite(boolean streaming, int numShards) {
    PipelineOptions options = PipelineOptionsFactory.fromArgs("--streaming=" + streaming).create();
    options.setRunner(CrashingRunner.class);
    Pipeline p = Pipeline.create(options);
    TextIO.Write write = TextIO.write().to(dir.resolve("out").toString()).withWindowedWrites();
    p.apply(Create.of("a", "b")).apply(numShards > 0 ? write.withNumShards(numShards) : write);
    return p;
  }

  private static List<PTransform<?, ?>> transforms(Pipeline p) {
    List<PTransform<?, ?>> classes = new ArrayList<>();
    p.traverseTopologically(
        new Pipeline.PipelineVisitor.Defaults() {
          @Override
          public CompositeBehavior enterCompositeTransform(TransformHierarchy.Node node) {
            if (node.getTransform() != null) {
              classes.add(node.getTransform());
            }
            return CompositeBehavior.ENTER_TRANSFORM;
          }
        });
    return classes;
  }

  private static long count(Pipeline p, Class<?> type) {
    return transforms(p).stream().filter(type::isInstance).count();
  }

  @Test
  void inStreamingModeWriteFilesIsReplacedByTheStagedWrite() {
    Pipeline p = textWrite(true, 3);
    RunnerOverrides.apply(p, 2);
    assertThat(count(p, WriteFiles.class), equalTo(0L));
    assertThat(count(p, StagedWriteFiles.class), equalTo(1L));
  }

  @Test
  void inBatchModeBeamsOwnWriteFilesStays() {
    Pipeline p = textWrite(false, 3);
    RunnerOverrides.apply(p, 2);
    assertThat(count(p, WriteFiles.class), equalTo(1L));
    assertThat(count(p, StagedWriteFiles.class), equalTo(0L));
  }

  @Test
  void aWriteWithoutAFixedShardCountIsStillReplaced() {
    Pipeline p = textWrite(true, 0);
    RunnerOverrides.apply(p, 2);
    assertThat(count(p, StagedWriteFiles.class), equalTo(1L));
  }
}
