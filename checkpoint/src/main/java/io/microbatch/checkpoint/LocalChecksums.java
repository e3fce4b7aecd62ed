package io.microbatch.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * CRC32 of local snapshot files, remembered for immutable files. RocksDB checkpoints hard-link
 * their SST files, so the same SST appears in many snapshots under the same inode; it is read
 * once, not once per snapshot. Other files (CURRENT, MANIFEST-*, OPTIONS-*) are small and always
 * read.
 */
final class LocalChecksums {
  private static final int MAX_ENTRIES = 100_000;

  private record Identity(Object fileKey, long size, long modifiedMillis) {}

  private final Map<Identity, Long> known =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Identity, Long> eldest) {
          return size() > MAX_ENTRIES;
        }
      };

  long crc32(Path file, BasicFileAttributes attributes) throws IOException {
    boolean immutable = file.getFileName().toString().endsWith(".sst")
        && attributes.fileKey() != null;
    Identity identity = immutable
        ? new Identity(attributes.fileKey(), attributes.size(),
            attributes.lastModifiedTime().toMillis())
        : null;
    if (identity != null) {
      Long cached = known.get(identity);
      if (cached != null) {
        return cached;
      }
    }
    long crc = compute(file);
    if (identity != null) {
      known.put(identity, crc);
    }
    return crc;
  }

  static long compute(Path file) throws IOException {
    CRC32 crc = new CRC32();
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        crc.update(buffer, 0, n);
      }
    }
    return crc.getValue();
  }
}
