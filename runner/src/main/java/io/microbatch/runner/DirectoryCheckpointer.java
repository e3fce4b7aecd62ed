package io.microbatch.runner;

import io.microbatch.checkpoint.CheckpointDirectory;
import io.microbatch.checkpoint.JobFingerprint;
import io.microbatch.checkpoint.Recovery;
import io.microbatch.checkpoint.RestoredSnapshot;
import io.microbatch.engine.checkpoint.Checkpointer;
import io.microbatch.engine.checkpoint.Checkpointer.LoggedBatch;
import io.microbatch.engine.graph.StepDescription;
import io.microbatch.engine.graph.StepGraph;
import io.microbatch.state.StateBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's checkpoints in a {@code --checkpointDir}: each checkpoint is one state snapshot of
 * the checkpoint module (published atomically by its manifest) holding the engine's state as one
 * more "partition" next to the keyed partitions. The directory is bound to the pipeline's
 * fingerprint, so a changed pipeline is refused before any data moves.
 */
final class DirectoryCheckpointer implements Checkpointer {
  private static final Logger LOG = LoggerFactory.getLogger(DirectoryCheckpointer.class);
  /** The snapshot "partition" holding the engine state. */
  static final String ENGINE_PARTITION = "engine";

  private static final String ENGINE_FILE = "engine-state";

  private final CheckpointDirectory directory;
  private final StateBackend backend;
  private final int intervalBatches;
  /** Where restored snapshots are downloaded: {@code --stateDir}, or null for a temp directory. */
  private final Path restoreParent;
  /** The restored snapshot's local copy: partitions open from it (hard links), so it lives to the end. */
  private Path restored;

  private DirectoryCheckpointer(
      CheckpointDirectory directory,
      StateBackend backend,
      int intervalBatches,
      Path restoreParent) {
    this.directory = directory;
    this.backend = backend;
    this.intervalBatches = intervalBatches;
    this.restoreParent = restoreParent;
  }

  /** Opens and binds the directory; fails naming what differs when the pipeline changed. */
  static DirectoryCheckpointer open(
      MicroBatchPipelineOptions options, StepGraph graph, StateBackend backend)
      throws IOException {
    if (!backend.supportsCheckpoints()) {
      throw new IllegalArgumentException(
          "--checkpointDir needs a state backend that can snapshot its state; --stateBackend="
              + options.getStateBackend()
              + " cannot. Use --stateBackend=rocksdb.");
    }
    CheckpointDirectory directory;
    try {
      directory =
          CheckpointDirectory.open(
              options.getCheckpointDir(),
              hadoopConfiguration(options.getCheckpointHadoopConf()),
              options.getCheckpointsRetained());
    } catch (RuntimeException e) {
      // Hadoop reports bad settings (an unknown file system class, a malformed number) unchecked.
      throw new IOException(
          "its file system cannot be created with these Hadoop settings (see "
              + "--checkpointHadoopConf): " + e.getMessage(),
          e);
    }
    directory.bind(fingerprint(graph));
    String stateDir = options.getStateDir();
    return new DirectoryCheckpointer(
        directory,
        backend,
        options.getCheckpointIntervalBatches(),
        stateDir == null ? null : Path.of(stateDir));
  }

  /**
   * Hadoop's defaults (and any core-site.xml on the classpath) with {@code --checkpointHadoopConf}
   * on top; fails as {@link #checkHadoopConf} does.
   */
  static Configuration hadoopConfiguration(Map<String, String> settings) {
    checkHadoopConf(settings);
    Configuration conf = new Configuration();
    if (settings != null && !settings.isEmpty()) {
      // The source shows up in Configuration.getPropertySources, for whoever debugs a setting.
      settings.forEach((key, value) -> conf.set(key, value, "--checkpointHadoopConf"));
      LOG.info("Checkpoint file system settings from --checkpointHadoopConf: {}", settings.keySet());
    }
    return conf;
  }

  /**
   * Fails naming the option and the key for a setting Hadoop would reject late or silently ignore:
   * a blank key, a key with surrounding whitespace (it matches no property) or a null value.
   * Values never go into messages or logs: they may be credentials.
   */
  static void checkHadoopConf(Map<String, String> settings) {
    if (settings == null) {
      return;
    }
    for (Map.Entry<String, String> setting : settings.entrySet()) {
      String key = setting.getKey();
      if (key == null || key.isBlank()) {
        throw new IllegalArgumentException(
            "--checkpointHadoopConf has an empty key; give Hadoop property names such as "
                + "fs.s3a.endpoint");
      }
      if (!key.equals(key.strip())) {
        throw new IllegalArgumentException(
            "--checkpointHadoopConf key '" + key + "' has leading or trailing whitespace, so it "
                + "would match no Hadoop property");
      }
      if (setting.getValue() == null) {
        throw new IllegalArgumentException(
            "--checkpointHadoopConf key '" + key + "' has no value (null); give a string");
      }
    }
  }

  static JobFingerprint fingerprint(StepGraph graph) {
    JobFingerprint.Builder builder = JobFingerprint.builder();
    for (StepDescription step : graph.describe()) {
      builder.step(step.name(), step.kind(), step.outputCoders());
    }
    return builder.build();
  }

  @Override
  public int intervalBatches() {
    return intervalBatches;
  }

  @Override
  public Optional<RestoredCheckpoint> restore() throws IOException {
    // Beside the state if it has a directory: restored partitions are then hard links, not copies.
    Path local;
    if (restoreParent == null) {
      local = Files.createTempDirectory("microbatch-restore-");
    } else {
      Files.createDirectories(restoreParent);
      local = Files.createTempDirectory(restoreParent, "microbatch-restore-");
    }
    restored = local;
    Recovery recovery = directory.recover(local);
    List<LoggedBatch> replay = new ArrayList<>();
    for (long batchId : recovery.batchesToReplay()) {
      byte[] entry =
          directory.log().readOffsets(batchId).orElseThrow(() -> new IllegalStateException(
              "The log entry of batch " + batchId + " in " + directory.uri()
                  + " vanished during recovery"));
      replay.add(new LoggedBatch(batchId, entry));
    }
    if (recovery.snapshot().isEmpty()) {
      Files.deleteIfExists(local);
      if (replay.isEmpty()) {
        LOG.info("No checkpoint in {}: starting fresh", directory.uri());
        return Optional.empty();
      }
      LOG.info("No state snapshot in {} yet: replaying the {} logged batches from empty state",
          directory.uri(), replay.size());
      return Optional.of(new RestoredCheckpoint(-1, null, replay));
    }
    RestoredSnapshot snapshot = recovery.snapshot().get();
    Path engineDir = snapshot.partitions().get(ENGINE_PARTITION);
    if (engineDir == null) {
      throw new IllegalStateException(
          "The checkpoint of batch " + snapshot.batchId() + " in " + directory.uri()
              + " has no engine state; it was not written by this runner");
    }
    byte[] engineState = Files.readAllBytes(engineDir.resolve(ENGINE_FILE));
    backend.restoreFrom(local);
    LOG.info(
        "Restored the checkpoint of batch {} from {} ({} bytes in {} ms); {} logged batches to"
            + " replay",
        snapshot.batchId(),
        directory.uri(),
        snapshot.bytesDownloaded(),
        snapshot.elapsed().toMillis(),
        replay.size());
    return Optional.of(new RestoredCheckpoint(snapshot.batchId(), engineState, replay));
  }

  @Override
  public void close() {
    if (restored != null) {
      deleteRecursively(restored);
      restored = null;
    }
  }

  private static void deleteRecursively(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      // Deepest first, so every directory is empty when its turn comes.
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (NoSuchFileException e) {
      // Already gone.
    } catch (IOException e) {
      LOG.warn("Could not delete the restored checkpoint's local copy {}", root, e);
    }
  }

  @Override
  public void logBatch(long batchId, byte[] entry) throws IOException {
    directory.log().writeOffsets(batchId, entry);
  }

  @Override
  public void logCommit(long batchId) throws IOException {
    directory.log().writeCommit(batchId, new byte[0]);
  }

  @Override
  public void checkpoint(long batchId, byte[] engineState, Map<String, Path> partitionSnapshots)
      throws IOException {
    Path engineDir = Files.createTempDirectory("microbatch-engine-state-");
    try {
      Files.write(engineDir.resolve(ENGINE_FILE), engineState);
      Map<String, Path> all = new LinkedHashMap<>(partitionSnapshots);
      all.put(ENGINE_PARTITION, engineDir);
      directory.publishSnapshot(batchId, all);
    } finally {
      Files.deleteIfExists(engineDir.resolve(ENGINE_FILE));
      Files.deleteIfExists(engineDir);
    }
  }
}
