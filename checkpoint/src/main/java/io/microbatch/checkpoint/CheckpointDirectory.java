package io.microbatch.checkpoint;

import io.microbatch.checkpoint.FrameCodec.InvalidFrameException;
import io.microbatch.checkpoint.FrameCodec.Kind;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A job's checkpoint directory ({@code --checkpointDir}) on any Hadoop file system. Layout:
 *
 * <pre>
 * &lt;checkpointDir&gt;/v1/metadata                       format version + job fingerprint
 * &lt;checkpointDir&gt;/v1/offsets/&lt;batchId&gt;              written before a batch runs
 * &lt;checkpointDir&gt;/v1/commits/&lt;batchId&gt;              written after it committed
 * &lt;checkpointDir&gt;/v1/state/shared/&lt;partition&gt;/&lt;file&gt;.&lt;size&gt;.&lt;crc32&gt;
 * &lt;checkpointDir&gt;/v1/state/snapshots/&lt;batchId&gt;/MANIFEST   written last
 * </pre>
 *
 * <p>Use: {@link #open}, {@link #bind} the job's fingerprint, {@link #recover}, then per batch
 * {@link CheckpointLog#writeOffsets}, run, commit, {@link CheckpointLog#writeCommit}, and every
 * few batches {@link #publishSnapshot}.
 */
public final class CheckpointDirectory {
  private static final Logger LOG = LoggerFactory.getLogger(CheckpointDirectory.class);
  static final String VERSION_DIR = "v1";
  /** Snapshots kept by default. */
  public static final int DEFAULT_RETAINED = 3;

  private final URI uri;
  private final Path root;
  private final Path versionRoot;
  private final CheckpointFiles files;
  private final CheckpointLog log;
  private final SnapshotStore snapshots;

  /**
   * Hadoop setting: how many snapshot files are uploaded at a time (default {@value
   * ParallelUploads#DEFAULT_THREADS}).
   */
  public static final String UPLOAD_THREADS = "microbatch.checkpoint.upload.threads";

  private CheckpointDirectory(URI uri, FileSystem fs, int retainedSnapshots, int uploadThreads) {
    this.uri = uri;
    this.root = fs.makeQualified(new Path(uri));
    this.versionRoot = new Path(root, VERSION_DIR);
    this.files = CheckpointFiles.on(fs);
    this.log = new CheckpointLog(files, versionRoot);
    this.snapshots = new SnapshotStore(files, versionRoot, retainedSnapshots, uploadThreads);
  }

  /**
   * Opens (without writing anything) the checkpoint directory at {@code uri}: {@code file:///...},
   * {@code hdfs://...}, {@code s3a://...} or a plain local path.
   *
   * @param hadoopConf file system settings (endpoints, credentials ...), and {@link
   *     #UPLOAD_THREADS}
   * @param retainedSnapshots how many complete snapshots to keep (at least 1; default {@value
   *     #DEFAULT_RETAINED})
   */
  public static CheckpointDirectory open(String uri, Configuration hadoopConf,
      int retainedSnapshots) throws IOException {
    URI parsed = new Path(uri).toUri();
    if (parsed.getScheme() == null) {
      parsed = new java.io.File(uri).getAbsoluteFile().toURI();
    }
    return new CheckpointDirectory(parsed, CheckpointFileSystems.get(parsed, hadoopConf),
        retainedSnapshots,
        hadoopConf.getInt(UPLOAD_THREADS, ParallelUploads.DEFAULT_THREADS));
  }

  /** The checkpoint directory at {@code uri} on {@code fs} as given (tests, benchmarks). */
  static CheckpointDirectory on(URI uri, FileSystem fs, int retainedSnapshots,
      int uploadThreads) {
    return new CheckpointDirectory(uri, fs, retainedSnapshots, uploadThreads);
  }

  /**
   * Ties this directory to the job: on first start writes {@code metadata}; on a later start
   * checks that the stored fingerprint equals {@code fingerprint}.
   *
   * @throws IncompatibleCheckpointException if it was written by another job shape or format; the
   *     message names what differs
   * @throws CorruptCheckpointException if the metadata is unreadable but the log has entries
   */
  public void bind(JobFingerprint fingerprint) throws IOException {
    refuseOtherFormats();
    Path metadata = new Path(versionRoot, "metadata");
    byte[] bytes = files.readIfExists(metadata);
    if (bytes != null) {
      try {
        JobFingerprint stored = decodeMetadata(FrameCodec.decode(Kind.METADATA, bytes));
        Optional<String> difference = stored.describeDifference(fingerprint);
        if (difference.isPresent()) {
          throw new IncompatibleCheckpointException("The checkpoint in " + uri + " was written "
              + "by a different pipeline: " + difference.get() + ". Its state cannot be "
              + "used by this pipeline. Either start this pipeline with a new --checkpointDir "
              + "(it then starts from empty state and its sources from their start), or run the "
              + "pipeline that wrote the checkpoint.");
        }
        LOG.info("Checkpoint {} matches the job (fingerprint {})", uri, fingerprint.digest());
        return;
      } catch (InvalidFrameException | IOException e) {
        if (!log.offsetsIds().isEmpty() || !snapshots.snapshotIds().isEmpty()) {
          throw new CorruptCheckpointException("The metadata of checkpoint " + uri + " is "
              + "unreadable (" + e.getMessage() + ") although it holds batches, so it cannot be "
              + "checked against this pipeline. Start with a new --checkpointDir.", e);
        }
        LOG.warn("Rewriting the torn metadata of empty checkpoint {}: {}", uri, e.getMessage());
      }
    } else if (!log.offsetsIds().isEmpty() || !snapshots.snapshotIds().isEmpty()) {
      throw new CorruptCheckpointException("Checkpoint " + uri + " holds batches but no metadata"
          + ", so it cannot be checked against this pipeline. Start with a new --checkpointDir.");
    }
    files.publish(metadata, FrameCodec.encode(Kind.METADATA, encodeMetadata(fingerprint)));
    LOG.info("Started checkpoint {} (fingerprint {})", uri, fingerprint.digest());
  }

  /**
   * Restores the newest complete snapshot into {@code localRoot} and says which logged batches
   * to replay. Offsets entries that cannot be replayed (after a gap) are discarded with a warning.
   *
   * @param localRoot a missing or empty local directory; the snapshot lands in {@code
   *     localRoot/<partition>/}
   * @throws CorruptCheckpointException if snapshots exist but none is complete, or the log lacks
   *     the offsets of a committed batch it would have to replay
   */
  public Recovery recover(java.nio.file.Path localRoot) throws IOException {
    Optional<RestoredSnapshot> snapshot = snapshots.restoreLatest(localRoot);
    long from = snapshot.map(RestoredSnapshot::batchId).orElse(-1L);
    List<Long> logged = log.offsetsIds();
    if (snapshot.isEmpty() && !logged.isEmpty() && logged.get(0) > 0) {
      throw new CorruptCheckpointException("Checkpoint " + uri + " has no state snapshot, but "
          + "its log starts at batch " + logged.get(0) + " (earlier ones were purged), so state "
          + "cannot be rebuilt. Start with a new --checkpointDir.");
    }
    List<Long> replay = new ArrayList<>();
    long next = from + 1;
    while (log.readOffsets(next).isPresent()) {
      replay.add(next);
      next++;
    }
    long latestCommit = log.latestCommit().map(LogEntry::batchId).orElse(-1L);
    if (latestCommit >= next) {
      throw new CorruptCheckpointException("Checkpoint " + uri + " records batch " + latestCommit
          + " as committed, but the offsets of batch " + next + " are missing or corrupt, so it "
          + "cannot be replayed. Start with a new --checkpointDir.");
    }
    for (long id : logged) {
      if (id >= next) {
        LOG.warn("Discarding offsets of batch {}: batch {} before it cannot be replayed", id,
            next);
        log.discardOffsets(id);
      }
    }
    LOG.info("Recovery of {}: snapshot {}, replaying batches {}, then batch {}", uri,
        snapshot.map(s -> "of batch " + s.batchId()).orElse("none"), replay, next);
    return new Recovery(snapshot, replay, next);
  }

  /**
   * Publishes a state snapshot ({@link SnapshotStore#publish}) and purges log entries older than
   * the oldest snapshot kept. Call after batch {@code batchId} committed and its commit was logged.
   */
  public PublishResult publishSnapshot(long batchId,
      Map<String, java.nio.file.Path> localSnapshotDirs) throws IOException {
    PublishResult result = snapshots.publish(batchId, localSnapshotDirs);
    if (result.oldestRetainedBatchId() >= 0) {
      log.purgeBefore(result.oldestRetainedBatchId());
    }
    return result;
  }

  /** The offsets and commits log. */
  public CheckpointLog log() {
    return log;
  }

  /** The state snapshots. */
  public SnapshotStore snapshots() {
    return snapshots;
  }

  /** The directory as given. */
  public URI uri() {
    return uri;
  }

  private void refuseOtherFormats() throws IOException {
    List<String> others = new ArrayList<>();
    boolean ours = false;
    for (FileStatus status : files.list(root)) {
      String name = status.getPath().getName();
      if (status.isDirectory() && name.matches("v\\d+")) {
        if (name.equals(VERSION_DIR)) {
          ours = true;
        } else {
          others.add(name);
        }
      }
    }
    if (!ours && !others.isEmpty()) {
      throw new IncompatibleCheckpointException("The checkpoint in " + uri + " has format "
          + others + ", this MicroBatch version reads and writes " + VERSION_DIR + ". Run the "
          + "MicroBatch version that wrote it, or start with a new --checkpointDir.");
    }
  }

  private static byte[] encodeMetadata(JobFingerprint fingerprint) {
    byte[] encoded = fingerprint.encode();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(FrameCodec.FORMAT_VERSION);
      out.write(encoded);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static JobFingerprint decodeMetadata(byte[] payload) throws IOException {
    if (payload.length < 4) {
      throw new IOException("metadata too short");
    }
    int version = ByteBuffer.wrap(payload).getInt();
    if (version != FrameCodec.FORMAT_VERSION) {
      throw new IncompatibleCheckpointException("Checkpoint metadata has format version " + version
          + ", expected " + FrameCodec.FORMAT_VERSION + ". Start with a new --checkpointDir.");
    }
    return JobFingerprint.decode(Arrays.copyOfRange(payload, 4, payload.length));
  }
}
