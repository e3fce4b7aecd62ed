package io.microbatch.checkpoint;

import io.microbatch.checkpoint.FrameCodec.InvalidFrameException;
import io.microbatch.checkpoint.FrameCodec.Kind;
import io.microbatch.checkpoint.SnapshotManifest.FileEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Incremental state snapshots under {@code state/}: files in {@code state/shared/<partition>/}
 * named by local name, size and CRC32 (so an immutable RocksDB SST file is uploaded once and
 * shared by every snapshot that lists it), and one {@code state/snapshots/<batchId>/MANIFEST} per
 * snapshot, written last: a snapshot exists once its manifest does, and never half.
 *
 * <p>One writer at a time ({@link #publish} is synchronized); restores may run concurrently with
 * nothing else writing. The store is its directory's only writer: it lists {@code state/shared}
 * once, at its first publish (deleting what a crashed run left), and from then on knows what is
 * stored from its own uploads and deletions, so a publish costs the same however many files the
 * retained snapshots share. A shared file deleted behind its back is reported by restore, which
 * then falls back to an older snapshot.
 *
 * <p>A publish uploads the files it lacks a few at a time ({@link ParallelUploads}) and writes the
 * manifest only once all of them are stored: if any upload fails, no manifest is written and the
 * previous snapshots stay as they were.
 */
public final class SnapshotStore {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotStore.class);
  static final String MANIFEST = "MANIFEST";

  private final CheckpointFiles files;
  private final Path sharedRoot;
  private final Path snapshotsRoot;
  private final int retained;
  private final LocalChecksums checksums = new LocalChecksums();
  /** Relative shared path ({@code partition/sharedName}) to length; null until first listed. */
  private Map<String, Long> shared;
  /** Temporary files the first listing found: left by a crashed upload, deleted by retention. */
  private final List<Path> staleTemporaries = new ArrayList<>();
  /**
   * Manifests this store wrote, by batch id, so retention does not read back what it just wrote
   * (the store is the directory's only writer); entries leave with their snapshots.
   */
  private final Map<Long, SnapshotManifest> published = new HashMap<>();
  private final ParallelUploads uploader;

  SnapshotStore(CheckpointFiles files, Path versionRoot, int retained) {
    this(files, versionRoot, retained, ParallelUploads.DEFAULT_THREADS);
  }

  SnapshotStore(CheckpointFiles files, Path versionRoot, int retained, int uploadThreads) {
    if (retained < 1) {
      throw new IllegalArgumentException("At least one snapshot must be retained, got " + retained);
    }
    this.files = files;
    this.sharedRoot = new Path(new Path(versionRoot, "state"), "shared");
    this.snapshotsRoot = new Path(new Path(versionRoot, "state"), "snapshots");
    this.retained = retained;
    this.uploader = new ParallelUploads(uploadThreads);
  }

  /**
   * Publishes the state after batch {@code batchId}'s commit: uploads the files of each local
   * snapshot directory that the store does not hold yet, writes the manifest last, then applies
   * retention (keeps the newest {@code retained} snapshots, deletes older manifests, then shared
   * files no retained manifest lists). The local directories are only read; the caller deletes
   * them afterwards. A failure leaves the previous snapshots intact.
   *
   * @param localSnapshotDirs partition name (e.g. {@code stage-3/partition-1}: '/'-separated
   *     segments of {@code [A-Za-z0-9._-]}) to a flat directory of that partition's snapshot files
   */
  public synchronized PublishResult publish(
      long batchId, Map<String, java.nio.file.Path> localSnapshotDirs) throws IOException {
    long started = System.nanoTime();
    Map<String, Long> known = sharedFiles();
    Map<String, List<FileEntry>> partitions = new TreeMap<>();
    List<Upload> uploads = new ArrayList<>();
    int reused = 0;
    long bytesReused = 0;
    for (Map.Entry<String, java.nio.file.Path> partition :
        new TreeMap<>(localSnapshotDirs).entrySet()) {
      SnapshotManifest.checkPartitionName(partition.getKey());
      List<FileEntry> entries = new ArrayList<>();
      for (java.nio.file.Path local : localFiles(partition.getValue())) {
        BasicFileAttributes attributes = Files.readAttributes(local, BasicFileAttributes.class);
        FileEntry entry = new FileEntry(local.getFileName().toString(), attributes.size(),
            checksums.crc32(local, attributes));
        entries.add(entry);
        String relative = partition.getKey() + "/" + entry.sharedName();
        Long length = known.get(relative);
        if (length != null && length == entry.size()) {
          reused++;
          bytesReused += entry.size();
        } else {
          uploads.add(new Upload(local, relative, entry));
        }
      }
      partitions.put(partition.getKey(), entries);
    }
    // Uploads run in parallel; the manifest is written only after every one of them succeeded.
    // Files uploaded by a publish that then fails are recorded too (they are stored, complete):
    // the next publish reuses them or retention deletes them.
    List<Upload> done = new ArrayList<>();
    try {
      uploader.runAll(uploads.stream().map(upload -> (ParallelUploads.Task<Void>) () -> {
        upload(upload);
        synchronized (done) {
          done.add(upload);
        }
        return null;
      }).toList());
    } finally {
      for (Upload upload : done) {
        known.put(upload.relative(), upload.entry().size());
      }
    }
    int uploaded = uploads.size();
    long bytesUploaded = uploads.stream().mapToLong(u -> u.entry().size()).sum();
    SnapshotManifest manifest = new SnapshotManifest(batchId, partitions);
    files.publish(manifestPath(batchId), FrameCodec.encode(Kind.MANIFEST, manifest.encode()));
    published.put(batchId, manifest);
    Retention retention = applyRetention();
    Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
    LOG.info("Published state snapshot of batch {}: {} files ({} bytes) uploaded, {} files ({} "
            + "bytes) already stored, in {} ms", batchId, uploaded, bytesUploaded, reused,
        bytesReused, elapsed.toMillis());
    return new PublishResult(batchId, uploaded, bytesUploaded, reused, bytesReused, elapsed,
        retention.oldestRetained, retention.manifestsDeleted, retention.sharedDeleted);
  }

  /** A file of the snapshot that the store does not hold yet. */
  private record Upload(java.nio.file.Path local, String relative, FileEntry entry) {}

  private void upload(Upload upload) throws IOException {
    Path target = new Path(sharedRoot, upload.relative());
    long sent = files.upload(upload.local(), target);
    if (sent != upload.entry().crc32()) {
      // Its name claims the CRC32 the file was listed with: a copy of other bytes must not stay.
      files.delete(target, false);
      throw new IOException("Snapshot file " + upload.local() + " changed while it was uploaded");
    }
  }

  /**
   * Downloads the newest complete snapshot into {@code localRoot/<partition>/}. A snapshot is
   * complete when its manifest decodes and every file it lists exists with the listed size and
   * CRC32 (verified while downloading). A newer snapshot that is not complete is skipped with a
   * warning and the previous one is tried.
   *
   * @param localRoot a missing or empty local directory
   * @return empty if the store holds no snapshot at all
   * @throws CorruptCheckpointException if snapshots exist but none is complete
   */
  public Optional<RestoredSnapshot> restoreLatest(java.nio.file.Path localRoot)
      throws IOException {
    long started = System.nanoTime();
    requireEmpty(localRoot);
    List<Long> ids = snapshotIds();
    if (ids.isEmpty()) {
      return Optional.empty();
    }
    Map<String, Long> stored = listShared(new ArrayList<>());
    List<String> problems = new ArrayList<>();
    for (int i = ids.size() - 1; i >= 0; i--) {
      long id = ids.get(i);
      try {
        SnapshotManifest manifest = readManifest(id);
        long bytes = download(manifest, stored, localRoot);
        if (!problems.isEmpty()) {
          LOG.warn("Restored the older state snapshot of batch {} because newer ones are "
              + "unusable: {}", id, String.join("; ", problems));
        }
        Map<String, java.nio.file.Path> partitions = new LinkedHashMap<>();
        for (String partition : manifest.partitions().keySet()) {
          partitions.put(partition, localRoot.resolve(partition));
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        LOG.info("Restored state snapshot of batch {} ({} partitions, {} bytes) in {} ms", id,
            partitions.size(), bytes, elapsed.toMillis());
        return Optional.of(new RestoredSnapshot(id, partitions, bytes, elapsed));
      } catch (UnusableSnapshotException e) {
        LOG.warn("State snapshot of batch {} is unusable, trying the previous one: {}", id,
            e.getMessage());
        problems.add("batch " + id + ": " + e.getMessage());
        clear(localRoot);
      }
    }
    throw new CorruptCheckpointException("None of the " + ids.size() + " state snapshots under "
        + snapshotsRoot + " is complete (" + String.join("; ", problems) + "). Recovering would "
        + "lose state, so the job does not start. Restore the missing files, or start with a new "
        + "--checkpointDir to run from empty state.");
  }

  /** Batch ids that have a snapshot directory (complete or not), ascending. */
  public List<Long> snapshotIds() throws IOException {
    List<Long> ids = new ArrayList<>();
    for (FileStatus status : files.list(snapshotsRoot)) {
      String name = status.getPath().getName();
      if (status.isDirectory() && name.matches("\\d{1,18}")) {
        ids.add(Long.parseLong(name));
      }
    }
    ids.sort(null);
    return ids;
  }

  private long download(SnapshotManifest manifest, Map<String, Long> stored,
      java.nio.file.Path localRoot) throws IOException, UnusableSnapshotException {
    for (Map.Entry<String, List<FileEntry>> partition : manifest.partitions().entrySet()) {
      for (FileEntry file : partition.getValue()) {
        String relative = partition.getKey() + "/" + file.sharedName();
        Long length = stored.get(relative);
        if (length == null) {
          throw new UnusableSnapshotException("file " + relative + " is missing");
        }
        if (length != file.size()) {
          throw new UnusableSnapshotException("file " + relative + " has " + length
              + " bytes, the manifest lists " + file.size());
        }
      }
    }
    long bytes = 0;
    for (Map.Entry<String, List<FileEntry>> partition : manifest.partitions().entrySet()) {
      java.nio.file.Path dir = localRoot.resolve(partition.getKey());
      Files.createDirectories(dir);
      for (FileEntry file : partition.getValue()) {
        String relative = partition.getKey() + "/" + file.sharedName();
        long crc = files.download(new Path(sharedRoot, relative), dir.resolve(file.name()));
        if (crc != file.crc32()) {
          throw new UnusableSnapshotException("file " + relative + " fails its CRC32 check");
        }
        bytes += file.size();
      }
    }
    return bytes;
  }

  private SnapshotManifest readManifest(long batchId) throws IOException,
      UnusableSnapshotException {
    byte[] bytes = files.readIfExists(manifestPath(batchId));
    if (bytes == null) {
      throw new UnusableSnapshotException("no manifest (publish did not finish)");
    }
    try {
      SnapshotManifest manifest = SnapshotManifest.decode(FrameCodec.decode(Kind.MANIFEST, bytes));
      if (manifest.batchId() != batchId) {
        throw new UnusableSnapshotException("manifest is of batch " + manifest.batchId());
      }
      return manifest;
    } catch (InvalidFrameException | IOException e) {
      throw new UnusableSnapshotException("manifest is torn or corrupt: " + e.getMessage());
    }
  }

  private record Retention(long oldestRetained, int manifestsDeleted, int sharedDeleted) {}

  private Retention applyRetention() throws IOException {
    List<Long> ids = snapshotIds();
    List<SnapshotManifest> kept = new ArrayList<>();
    List<Long> dropped = new ArrayList<>();
    for (int i = ids.size() - 1; i >= 0; i--) {
      long id = ids.get(i);
      if (kept.size() < retained) {
        SnapshotManifest mine = published.get(id);
        if (mine != null) {
          kept.add(mine);
          continue;
        }
        try {
          kept.add(readManifest(id));
          continue;
        } catch (UnusableSnapshotException e) {
          LOG.warn("Deleting unusable state snapshot of batch {}: {}", id, e.getMessage());
        }
      }
      dropped.add(id);
    }
    for (long id : dropped) {
      files.delete(new Path(snapshotsRoot, Long.toString(id)), true);
      published.remove(id);
    }
    Set<String> referenced = new HashSet<>();
    for (SnapshotManifest manifest : kept) {
      manifest.partitions().forEach((partition, entries) -> entries.forEach(
          entry -> referenced.add(partition + "/" + entry.sharedName())));
    }
    // Garbage is found in memory: the store knows every shared file it listed at start and every
    // one it uploaded since (it is the directory's only writer), so no listing is needed. Listing
    // and stat-ing hundreds of files on every publish made publish time grow with the state.
    Map<String, Long> known = sharedFiles();
    int sharedDeleted = 0;
    for (Iterator<String> it = known.keySet().iterator(); it.hasNext(); ) {
      String relative = it.next();
      if (!referenced.contains(relative)) {
        files.delete(new Path(sharedRoot, relative), false);
        it.remove();
        sharedDeleted++;
      }
    }
    // Temporaries of uploads that a crash interrupted, found by the listing at start.
    for (Path temporary : staleTemporaries) {
      files.delete(temporary, false);
    }
    staleTemporaries.clear();
    long oldest = kept.stream().mapToLong(SnapshotManifest::batchId).min().orElse(-1);
    if (!dropped.isEmpty() || sharedDeleted > 0) {
      LOG.debug("Retention deleted snapshots {} and {} shared files; oldest kept is batch {}",
          dropped, sharedDeleted, oldest);
    }
    return new Retention(oldest, dropped.size(), sharedDeleted);
  }

  /**
   * What the store holds, listed once (at the first publish) and kept up to date by publish and
   * retention since.
   */
  private Map<String, Long> sharedFiles() throws IOException {
    if (shared == null) {
      shared = listShared(staleTemporaries);
    }
    return shared;
  }

  private String sharedPrefix() {
    return files.fileSystem().makeQualified(sharedRoot).toUri().getPath() + "/";
  }

  /**
   * Every published shared file, by path relative to {@code state/shared}, with its length; adds
   * the temporary files found to {@code temporaries}.
   */
  private Map<String, Long> listShared(List<Path> temporaries) throws IOException {
    String prefix = sharedPrefix();
    Map<String, Long> result = new HashMap<>();
    for (FileStatus status : files.listFilesRecursively(sharedRoot)) {
      String path = status.getPath().toUri().getPath();
      if (!path.startsWith(prefix)) {
        continue;
      }
      if (CheckpointFiles.isTemporary(status.getPath().getName())) {
        temporaries.add(status.getPath());
      } else {
        result.put(path.substring(prefix.length()), status.getLen());
      }
    }
    return result;
  }

  private Path manifestPath(long batchId) {
    return new Path(new Path(snapshotsRoot, Long.toString(batchId)), MANIFEST);
  }

  private static List<java.nio.file.Path> localFiles(java.nio.file.Path dir) throws IOException {
    List<java.nio.file.Path> result = new ArrayList<>();
    try (Stream<java.nio.file.Path> entries = Files.list(dir)) {
      for (java.nio.file.Path entry : (Iterable<java.nio.file.Path>) entries::iterator) {
        if (!Files.isRegularFile(entry)) {
          throw new IllegalArgumentException(
              "Snapshot directory " + dir + " must be flat, but holds " + entry);
        }
        SnapshotManifest.checkFileName(entry.getFileName().toString());
        result.add(entry);
      }
    }
    result.sort(Comparator.comparing(java.nio.file.Path::toString));
    return result;
  }

  private static void requireEmpty(java.nio.file.Path localRoot) throws IOException {
    if (!Files.exists(localRoot)) {
      Files.createDirectories(localRoot);
      return;
    }
    try (Stream<java.nio.file.Path> entries = Files.list(localRoot)) {
      if (entries.findAny().isPresent()) {
        throw new IllegalArgumentException("Restore directory " + localRoot + " is not empty");
      }
    }
  }

  private static void clear(java.nio.file.Path localRoot) throws IOException {
    try (Stream<java.nio.file.Path> paths = Files.walk(localRoot)) {
      for (java.nio.file.Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        if (!path.equals(localRoot)) {
          Files.delete(path);
        }
      }
    }
  }

  /** Why one snapshot cannot be restored; the restore then tries the previous one. */
  private static final class UnusableSnapshotException extends Exception {
    private static final long serialVersionUID = 1L;

    UnusableSnapshotException(String message) {
      super(message);
    }
  }
}
