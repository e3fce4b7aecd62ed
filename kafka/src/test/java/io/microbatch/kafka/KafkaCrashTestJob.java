package io.microbatch.kafka;

import java.util.Arrays;
import org.apache.beam.sdk.PipelineResult;

/**
 * The Kafka crash test's child process: runs {@link ExactlyOnceCountsPipeline} until its input
 * ends, then exits with 0 (1 if the pipeline did not finish). The test kills it with SIGKILL at
 * random moments and starts it again. Arguments: bootstrap servers, input topic, records per
 * partition, output topic, sink group id, then pipeline options ({@code --checkpointDir=...}).
 */
public final class KafkaCrashTestJob {
  private KafkaCrashTestJob() {}

  public static void main(String[] args) {
    PipelineResult.State state =
        ExactlyOnceCountsPipeline.create(
                ExactlyOnceCountsPipeline.options(Arrays.asList(args).subList(5, args.length)),
                args[0],
                args[1],
                Long.parseLong(args[2]),
                args[3],
                args[4])
            .run()
            .waitUntilFinish();
    System.exit(state == PipelineResult.State.DONE ? 0 : 1);
  }
}
