package io.microbatch.runner.recovery;

import io.microbatch.runner.MicroBatchPipelineOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * The crash test's child process: runs {@link WindowedCountsToFiles} (keyed sums per event-time
 * window, fired by timers, written with TextIO) against a checkpoint directory until the input
 * ends. A state snapshot is taken every {@value #SNAPSHOT_INTERVAL} batches, so most kills land
 * between snapshots and a restart replays logged batches. The test kills it with SIGKILL at random moments and starts it again.
 * Arguments: output directory, record count, then pipeline options naming where checkpoints go
 * ({@code --checkpointDir=...} and optionally {@code --checkpointHadoopConf=...}).
 */
public final class CrashTestJob {
  static final int SNAPSHOT_INTERVAL = 3;
  static final int INTERVAL_MILLIS = 100;

  private CrashTestJob() {}

  public static void main(String[] args) {
    Path out = Path.of(args[0]);
    long count = Long.parseLong(args[1]);
    List<String> optionArgs = new ArrayList<>();
    for (String arg : RecoveryTest.jobArgs(SNAPSHOT_INTERVAL, 20)) {
      // Batches every 100 ms bound how fast the job can go (20 records per batch), so that on a
      // fast machine too it outlasts the planned kills.
      optionArgs.add(
          arg.startsWith("--batchIntervalMillis=") ? "--batchIntervalMillis=" + INTERVAL_MILLIS : arg);
    }
    optionArgs.addAll(Arrays.asList(args).subList(2, args.length));
    MicroBatchPipelineOptions options =
        PipelineOptionsFactory.fromArgs(optionArgs.toArray(String[]::new))
            .as(MicroBatchPipelineOptions.class);
    PipelineResult.State state =
        WindowedCountsToFiles.create(options, count, out).run().waitUntilFinish();
    System.exit(state == PipelineResult.State.DONE ? 0 : 1);
  }
}
