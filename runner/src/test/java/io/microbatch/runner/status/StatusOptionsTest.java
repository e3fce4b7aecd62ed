package io.microbatch.runner.status;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.microbatch.runner.MicroBatchPipelineOptions;
import io.microbatch.runner.MicroBatchPipelineResult;
import io.microbatch.runner.MicroBatchRunner;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.junit.jupiter.api.Test;

/** {@code --statusPort} and {@code --statusAddress}: validated, off by default, failures named. */
class StatusOptionsTest {

  private static MicroBatchPipelineOptions options(String... args) {
    return PipelineOptionsFactory.fromArgs(args).as(MicroBatchPipelineOptions.class);
  }

  @Test
  void offByDefaultOnLoopbackWhenOn() {
    MicroBatchPipelineOptions options = options("--runner=MicroBatchRunner");
    assertThat(options.getStatusPort(), equalTo(null));
    assertThat(options.getStatusAddress(), equalTo("127.0.0.1"));
  }

  @Test
  void refusesPortsOutsideTheRangeNamingTheOption() {
    for (String port : new String[] {"-1", "65536"}) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  MicroBatchRunner.fromOptions(
                      options("--runner=MicroBatchRunner", "--statusPort=" + port)));
      assertThat(e.getMessage(), containsString("--statusPort"));
      assertThat(e.getMessage(), containsString(port));
    }
    MicroBatchRunner.fromOptions(options("--runner=MicroBatchRunner", "--statusPort=65535"));
    MicroBatchRunner.fromOptions(options("--runner=MicroBatchRunner", "--statusPort=0"));
  }

  @Test
  void refusesAnEmptyAddress() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                MicroBatchRunner.fromOptions(
                    options("--runner=MicroBatchRunner", "--statusPort=0", "--statusAddress= ")));
    assertThat(e.getMessage(), containsString("--statusAddress"));
  }

  @Test
  void aPortInUseFailsTheRunNamingTheOptions() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      Pipeline p =
          Pipeline.create(
              options("--runner=MicroBatchRunner", "--statusPort=" + taken.getLocalPort()));
      p.apply(Create.of(1, 2, 3));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, p::run);
      assertThat(e.getMessage(), containsString("--statusPort " + taken.getLocalPort()));
    }
  }

  @Test
  void withoutTheOptionThereIsNoServer() {
    Pipeline p = Pipeline.create(options("--runner=MicroBatchRunner"));
    p.apply(Create.of(1, 2, 3));
    MicroBatchPipelineResult result = (MicroBatchPipelineResult) p.run();
    assertThat(result.waitUntilFinish(), equalTo(PipelineResult.State.DONE));
    assertThat(result.statusUrl().isPresent(), equalTo(false));
  }
}
