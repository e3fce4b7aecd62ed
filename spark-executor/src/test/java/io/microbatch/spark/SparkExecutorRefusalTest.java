package io.microbatch.spark;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.microbatch.spark.pipelines.DifferentialPipelines;
import java.nio.file.Path;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.TestStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code --executor=spark} cannot do yet is refused when the pipeline is run, before any
 * Spark context starts, naming the option or the transform (no cluster needed).
 */
class SparkExecutorRefusalTest {
  @TempDir Path temp;

  private Pipeline pipeline(String... extra) {
    String[] args = new String[extra.length + 2];
    args[0] = "--runner=MicroBatchRunner";
    args[1] = "--executor=spark";
    System.arraycopy(extra, 0, args, 2, extra.length);
    return Pipeline.create(PipelineOptionsFactory.fromArgs(args).create());
  }

  @Test
  void aTestStreamIsRefusedNamingTheStep() {
    Pipeline pipeline = pipeline("--streaming=true");
    pipeline.apply("Events", TestStream.create(VarIntCoder.of()).addElements(1, 2)
        .advanceWatermarkToInfinity());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, pipeline::run);
    assertThat(e.getMessage(), containsString("unbounded Reads only"));
    assertThat(e.getMessage(), containsString("Events"));
  }

  /**
   * An unbounded splittable DoFn's operator holds a thread pool and cannot travel: the engine's
   * constructor names the step, and the runner stops the Spark context the executor had started
   * (here an in-process {@code local[1]} one).
   */
  @Test
  void aStepThatDoesNotSerializeIsRefusedNamingItAndTheContextIsStopped() {
    Pipeline pipeline = pipeline("--sparkMaster=local[1]",
        "--sparkStateDir=" + temp.resolve("state"));
    pipeline.apply("Ticks", org.apache.beam.sdk.transforms.PeriodicImpulse.create()
        .stopAfter(org.joda.time.Duration.standardSeconds(1)));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, pipeline::run);
    assertThat(e.getMessage(), containsString("cannot run on a remote executor"));
    assertThat(e.getMessage(), containsString("Ticks"));
    assertThat("the executor's own Spark context was stopped",
        org.apache.spark.SparkContext$.MODULE$.getActive().isEmpty(),
        org.hamcrest.Matchers.equalTo(true));
  }

  @Test
  void anUnknownExecutorIsRefusedWhenTheOptionsAreValidated() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Pipeline.create(PipelineOptionsFactory
            .fromArgs("--runner=MicroBatchRunner", "--executor=yarn").create()).run());
    assertThat(e.getMessage(), containsString("--executor=yarn"));
  }
}
