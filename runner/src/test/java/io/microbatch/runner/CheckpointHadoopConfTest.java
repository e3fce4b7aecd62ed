package io.microbatch.runner;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.anEmptyMap;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --checkpointHadoopConf}: parsed from JSON, checked early, applied to the checkpoint file system. */
class CheckpointHadoopConfTest {
  private static MicroBatchPipelineOptions options(String... args) {
    return PipelineOptionsFactory.fromArgs(args).as(MicroBatchPipelineOptions.class);
  }

  @Test
  void defaultsToNoSettings() {
    assertThat(options("--runner=MicroBatchRunner").getCheckpointHadoopConf(), anEmptyMap());
  }

  @Test
  void appliesTheSettingsOnTopOfHadoopsDefaults() {
    MicroBatchPipelineOptions options =
        options(
            "--checkpointHadoopConf={\"fs.s3a.endpoint\":\"http://127.0.0.1:9000\","
                + "\"dfs.replication\":\"1\"}");

    Configuration conf =
        DirectoryCheckpointer.hadoopConfiguration(options.getCheckpointHadoopConf());

    assertThat(conf.get("fs.s3a.endpoint"), equalTo("http://127.0.0.1:9000"));
    assertThat(conf.get("dfs.replication"), equalTo("1"));
    // Everything else keeps Hadoop's default.
    assertThat(conf.get("fs.defaultFS"), equalTo("file:///"));
    assertThat(
        Arrays.asList(conf.getPropertySources("fs.s3a.endpoint")), hasItem("--checkpointHadoopConf"));
  }

  @Test
  void aJsonNumberIsTakenAsItsString() {
    MicroBatchPipelineOptions options =
        options("--checkpointHadoopConf={\"fs.s3a.attempts.maximum\":2}");

    assertThat(options.getCheckpointHadoopConf(), equalTo(Map.of("fs.s3a.attempts.maximum", "2")));
  }

  @Test
  void theSettingsSurviveTheJsonRoundTripOfTheOptions() throws Exception {
    // The runner passes its options through JSON before it opens the checkpoint directory.
    ObjectMapper mapper = new ObjectMapper();
    MicroBatchPipelineOptions options =
        options("--checkpointHadoopConf={\"fs.s3a.path.style.access\":\"true\"}");

    MicroBatchPipelineOptions back =
        mapper
            .readValue(mapper.writeValueAsBytes(options), PipelineOptions.class)
            .as(MicroBatchPipelineOptions.class);

    assertThat(back.getCheckpointHadoopConf(), equalTo(Map.of("fs.s3a.path.style.access", "true")));
  }

  @Test
  void theSettingsReachTheCheckpointFileSystem(@TempDir Path dir) {
    // A file system class that does not exist, uncached so an earlier file:// instance cannot
    // hide it: run() only fails if the settings reached the checkpoint directory's file system.
    MicroBatchPipelineOptions options =
        options(
            "--runner=MicroBatchRunner",
            "--checkpointDir=" + dir.toUri(),
            "--checkpointHadoopConf={\"fs.file.impl\":\"io.microbatch.NoSuchFileSystem\","
                + "\"fs.file.impl.disable.cache\":\"true\"}");
    Pipeline p = Pipeline.create(options);
    p.apply(Create.of(1, 2, 3));

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, p::run);

    assertThat(e.getMessage(), containsString("--checkpointDir"));
    assertThat(e.getMessage(), containsString("--checkpointHadoopConf"));
    assertThat(e.getMessage(), containsString("io.microbatch.NoSuchFileSystem"));
  }

  @Test
  void refusesANullValueNamingTheOptionAndKeyButNotTheOtherValues() {
    MicroBatchPipelineOptions options =
        options(
            "--runner=MicroBatchRunner",
            "--checkpointHadoopConf={\"fs.s3a.secret.key\":\"s3cr3t\",\"fs.s3a.endpoint\":null}");

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> MicroBatchRunner.fromOptions(options));

    assertThat(e.getMessage(), containsString("--checkpointHadoopConf"));
    assertThat(e.getMessage(), containsString("fs.s3a.endpoint"));
    assertThat(e.getMessage(), not(containsString("s3cr3t")));
  }

  @Test
  void refusesAnEmptyKeyNamingTheOption() {
    MicroBatchPipelineOptions options =
        options("--runner=MicroBatchRunner", "--checkpointHadoopConf={\"\":\"x\"}");

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> MicroBatchRunner.fromOptions(options));

    assertThat(e.getMessage(), containsString("--checkpointHadoopConf has an empty key"));
  }

  @Test
  void refusesAKeyWithSurroundingWhitespaceNamingTheOptionAndKey() {
    MicroBatchPipelineOptions options =
        options("--runner=MicroBatchRunner", "--checkpointHadoopConf={\" fs.s3a.endpoint\":\"x\"}");

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> MicroBatchRunner.fromOptions(options));

    assertThat(e.getMessage(), containsString("--checkpointHadoopConf key ' fs.s3a.endpoint'"));
  }

  @Test
  void malformedJsonIsRefusedByBeamWhenTheOptionsAreParsed() {
    // Beam's own message: "Unable to parse JSON value <value>" with Jackson's error as the cause.
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> options("--checkpointHadoopConf={\"fs.s3a.endpoint\":"));

    assertThat(e.getMessage(), containsString("Unable to parse JSON value"));
  }

  @Test
  void aNestedObjectIsRefusedByBeamWhenTheOptionsAreParsed() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> options("--checkpointHadoopConf={\"fs\":{\"s3a.endpoint\":\"x\"}}"));

    assertThat(e.getMessage(), containsString("Unable to parse JSON value"));
  }
}
