package io.microbatch.checkpoint;

import java.io.IOException;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.security.UserGroupInformation;

/**
 * The Hadoop file system a checkpoint directory writes through. For {@code hdfs://} it is an
 * instance of the checkpoint's own whose client retries closing a file sooner than HDFS's default:
 * a file only closes once the NameNode has heard from a DataNode that the last block arrived, and
 * when the client asks first (it often does: the DataNode reports asynchronously) its default
 * first wait is 400 ms. Checkpoint files are small and written on the batch's path (two log
 * entries per batch, about 30 files per snapshot), so that wait, not the transfer, made up most of
 * their time. The tuned client waits 20 ms first, doubling, with more retries so that it still
 * gives up no sooner than the default would. Settings the caller made are kept.
 *
 * <p>Other schemes use Hadoop's shared instance ({@link FileSystem#get}).
 */
final class CheckpointFileSystems {
  static final String CLOSE_INITIAL_DELAY =
      "dfs.client.block.write.locateFollowingBlock.initial.delay.ms";
  static final String CLOSE_RETRIES = "dfs.client.block.write.locateFollowingBlock.retries";
  private static final int TUNED_INITIAL_DELAY_MS = 20;
  /** 20 ms doubling 10 times waits up to about 20 s, more than the default 400 ms x 5 (12.4 s). */
  private static final int TUNED_RETRIES = 10;

  /** Tuned instances by scheme, authority and user, like Hadoop's own cache. */
  private static final Map<String, FileSystem> TUNED = new ConcurrentHashMap<>();

  private CheckpointFileSystems() {}

  static FileSystem get(URI uri, Configuration conf) throws IOException {
    if (!needsTuning(uri, conf)) {
      return FileSystem.get(uri, conf);
    }
    String key = uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getAuthority() + " as "
        + UserGroupInformation.getCurrentUser().getUserName();
    try {
      return TUNED.computeIfAbsent(key, k -> {
        try {
          return FileSystem.newInstance(uri, tuned(uri, conf));
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
    } catch (java.io.UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /** {@code conf}, or a copy with the HDFS close retries tuned (see the class comment). */
  static Configuration tuned(URI uri, Configuration conf) {
    if (!needsTuning(uri, conf)) {
      return conf;
    }
    Configuration copy = new Configuration(conf);
    copy.setInt(CLOSE_INITIAL_DELAY, TUNED_INITIAL_DELAY_MS);
    if (!setByCaller(conf, CLOSE_RETRIES)) {
      copy.setInt(CLOSE_RETRIES, TUNED_RETRIES);
    }
    return copy;
  }

  private static boolean needsTuning(URI uri, Configuration conf) {
    return "hdfs".equalsIgnoreCase(uri.getScheme()) && !setByCaller(conf, CLOSE_INITIAL_DELAY);
  }

  /** Set other than by Hadoop's bundled defaults (hdfs-default.xml ...). */
  private static boolean setByCaller(Configuration conf, String key) {
    if (conf.get(key) == null) {
      return false;
    }
    String[] sources = conf.getPropertySources(key);
    if (sources == null) {
      return true;
    }
    for (String source : sources) {
      if (!source.endsWith("-default.xml")) {
        return true;
      }
    }
    return false;
  }
}
