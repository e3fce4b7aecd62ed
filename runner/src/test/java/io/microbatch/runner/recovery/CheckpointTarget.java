package io.microbatch.runner.recovery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a job's checkpoints go: a Hadoop FileSystem URI and the Hadoop settings a job needs to
 * reach it, handed to the job as {@code --checkpointDir} and {@code --checkpointHadoopConf}.
 *
 * @param name short name of the file system for logs, e.g. {@code hdfs}
 * @param uri the checkpoint directory
 * @param hadoopConf settings on top of Hadoop's defaults; empty for none
 */
public record CheckpointTarget(String name, String uri, Map<String, String> hadoopConf) {
  public CheckpointTarget {
    hadoopConf = new TreeMap<>(hadoopConf);
  }

  /** The pipeline options that point a job at this target. */
  public List<String> options() {
    List<String> options = new ArrayList<>();
    options.add("--checkpointDir=" + uri);
    if (!hadoopConf.isEmpty()) {
      try {
        options.add("--checkpointHadoopConf=" + new ObjectMapper().writeValueAsString(hadoopConf));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("A map of strings is always JSON", e);
      }
    }
    return options;
  }
}
