package io.microbatch.runner.recovery;

import java.nio.file.Path;
import org.apache.beam.sdk.PipelineResult;

/**
 * The crash test's child process: runs {@link KeyedSumsPipeline} against a checkpoint directory
 * until the input ends. The test kills it with SIGKILL at random moments and starts it again.
 * Arguments: checkpoint URI, output directory, record count.
 */
public final class CrashTestJob {
  private CrashTestJob() {}

  public static void main(String[] args) {
    long count = Long.parseLong(args[2]);
    PipelineResult.State state =
        KeyedSumsPipeline.create(
                RecoveryTest.options(Path.of(args[0]), 1, 20), count, Path.of(args[1]))
            .run()
            .waitUntilFinish();
    System.exit(state == PipelineResult.State.DONE ? 0 : 1);
  }
}
