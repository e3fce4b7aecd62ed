package io.microbatch.checkpoint;

import io.microbatch.checkpoint.FrameCodec.InvalidFrameException;
import io.microbatch.checkpoint.FrameCodec.Kind;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write-ahead log of a streaming job: {@code offsets/<batchId>} is written before batch
 * {@code batchId} runs and records what it will read; {@code commits/<batchId>} is written after
 * the batch committed. Payloads are opaque bytes chosen by the engine (source offsets, reader
 * checkpoint marks, restrictions). Each entry is one file with a checksummed header; an entry that
 * is torn or corrupt is ignored with a warning, so readers fall back to the previous entry.
 *
 * <p>Entries are write-once: writing an entry again with the same payload is a no-op, with a
 * different payload an {@link IllegalStateException} (a batch must be replayed with the offsets it
 * logged). Only a torn entry may be overwritten. Single writer; readers may run at any time.
 */
public final class CheckpointLog {
  private static final Logger LOG = LoggerFactory.getLogger(CheckpointLog.class);

  private final CheckpointFiles files;
  private final Path offsetsDir;
  private final Path commitsDir;
  /**
   * The batch whose offsets this log wrote (or found already written) last: its commit need not
   * read them back to check they exist, since nothing else writes the directory. -1: none.
   */
  private volatile long offsetsKnown = -1;

  CheckpointLog(CheckpointFiles files, Path versionRoot) {
    this.files = files;
    this.offsetsDir = new Path(versionRoot, "offsets");
    this.commitsDir = new Path(versionRoot, "commits");
  }

  /** Logs what batch {@code batchId} will read; call before the batch runs. */
  public void writeOffsets(long batchId, byte[] payload) throws IOException {
    writeOnce(offsetsDir, Kind.OFFSETS, batchId, payload);
    offsetsKnown = batchId;
  }

  /**
   * Logs that batch {@code batchId} committed; call after its state and outputs committed.
   *
   * @throws IllegalStateException if no valid offsets entry exists for the batch
   */
  public void writeCommit(long batchId, byte[] payload) throws IOException {
    if (batchId != offsetsKnown && readOffsets(batchId).isEmpty()) {
      throw new IllegalStateException(
          "Cannot log a commit of batch " + batchId + ": its offsets were never logged");
    }
    writeOnce(commitsDir, Kind.COMMIT, batchId, payload);
  }

  /** The offsets logged for the batch; empty if absent or unreadable (warned). */
  public Optional<byte[]> readOffsets(long batchId) throws IOException {
    return read(offsetsDir, Kind.OFFSETS, batchId);
  }

  /** The commit logged for the batch; empty if absent or unreadable (warned). */
  public Optional<byte[]> readCommit(long batchId) throws IOException {
    return read(commitsDir, Kind.COMMIT, batchId);
  }

  /** The newest valid commit entry; torn newer entries are skipped with a warning. */
  public Optional<LogEntry> latestCommit() throws IOException {
    List<Long> ids = ids(commitsDir);
    for (int i = ids.size() - 1; i >= 0; i--) {
      Optional<byte[]> payload = readCommit(ids.get(i));
      if (payload.isPresent()) {
        return Optional.of(new LogEntry(ids.get(i), payload.get()));
      }
    }
    return Optional.empty();
  }

  /** Batches with valid offsets after the latest valid commit, ascending: the ones to replay. */
  public List<Long> pendingBatches() throws IOException {
    long after = latestCommit().map(LogEntry::batchId).orElse(-1L);
    return validOffsetsAfter(after);
  }

  /** Batches with valid offsets after {@code batchId}, ascending (committed or not). */
  public List<Long> offsetsAfter(long batchId) throws IOException {
    return validOffsetsAfter(batchId);
  }

  /** Ids of the commit entries present (valid or not), ascending. */
  public List<Long> commitIds() throws IOException {
    return ids(commitsDir);
  }

  /** Ids of the offsets entries present (valid or not), ascending. */
  public List<Long> offsetsIds() throws IOException {
    return ids(offsetsDir);
  }

  /**
   * Deletes offsets and commit entries of batches before {@code batchId}; call with the oldest
   * retained snapshot's batch id, since recovery never replays from further back.
   *
   * @return the number of files deleted
   */
  public int purgeBefore(long batchId) throws IOException {
    int deleted = 0;
    for (Path dir : List.of(offsetsDir, commitsDir)) {
      for (long id : ids(dir)) {
        if (id < batchId) {
          if (dir == offsetsDir && id == offsetsKnown) {
            offsetsKnown = -1;
          }
          files.delete(entry(dir, id), false);
          deleted++;
        }
      }
    }
    if (deleted > 0) {
      LOG.debug("Purged {} log entries before batch {}", deleted, batchId);
    }
    return deleted;
  }

  /** Deletes the offsets entry of an uncommitted batch that will not be replayed. */
  void discardOffsets(long batchId) throws IOException {
    if (batchId == offsetsKnown) {
      offsetsKnown = -1;
    }
    files.delete(entry(offsetsDir, batchId), false);
  }

  private List<Long> validOffsetsAfter(long after) throws IOException {
    List<Long> result = new ArrayList<>();
    for (long id : ids(offsetsDir)) {
      if (id > after && readOffsets(id).isPresent()) {
        result.add(id);
      }
    }
    return result;
  }

  private void writeOnce(Path dir, Kind kind, long batchId, byte[] payload) throws IOException {
    if (batchId < 0) {
      throw new IllegalArgumentException("Batch ids start at 0, got " + batchId);
    }
    Optional<byte[]> existing = read(dir, kind, batchId);
    if (existing.isPresent()) {
      if (Arrays.equals(existing.get(), payload)) {
        return;
      }
      throw new IllegalStateException("The " + kind.name().toLowerCase(java.util.Locale.ROOT)
          + " of batch " + batchId + " are already logged with a different payload; a batch "
          + "must be replayed exactly as logged");
    }
    files.publish(entry(dir, batchId), FrameCodec.encode(kind, payload));
  }

  private Optional<byte[]> read(Path dir, Kind kind, long batchId) throws IOException {
    Path file = entry(dir, batchId);
    byte[] bytes = files.readIfExists(file);
    if (bytes == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(FrameCodec.decode(kind, bytes));
    } catch (InvalidFrameException e) {
      LOG.warn("Ignoring torn or corrupt checkpoint log entry {}: {}", file, e.getMessage());
      return Optional.empty();
    }
  }

  private List<Long> ids(Path dir) throws IOException {
    List<Long> ids = new ArrayList<>();
    for (FileStatus status : files.list(dir)) {
      String name = status.getPath().getName();
      if (status.isFile() && !name.isEmpty() && name.chars().allMatch(Character::isDigit)
          && name.length() < 19) {
        ids.add(Long.parseLong(name));
      }
    }
    ids.sort(null);
    return ids;
  }

  private static Path entry(Path dir, long batchId) {
    return new Path(dir, Long.toString(batchId));
  }
}
