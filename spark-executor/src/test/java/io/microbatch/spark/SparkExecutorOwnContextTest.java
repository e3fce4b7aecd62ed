package io.microbatch.spark;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;

import io.microbatch.spark.cluster.SparkTestCluster;
import io.microbatch.spark.pipelines.DifferentialPipelines;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.spark.SparkContext$;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code --executor=spark --sparkMaster=<url>} in a process with no running SparkContext, as a
 * plain {@code java -cp ... Main} user would run it: the executor starts its own context from the
 * option and Spark's system properties, runs the pipeline on the cluster and stops the context.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SparkExecutorOwnContextTest {
  private static final Path ROOT =
      Path.of("target", "spark-cluster", "SparkExecutorOwnContextTest").toAbsolutePath();
  private static final long DRIVER_PID = ProcessHandle.current().pid();

  private SparkTestCluster cluster;
  private Map<String, String> properties;

  @BeforeAll
  void startCluster() throws Exception {
    // No driver: the runner's Spark executor starts the context itself.
    cluster = SparkTestCluster.builder(ROOT).workers(1).startCluster();
    // What spark-submit or a user's -D flags would give: SparkConf reads spark.* properties.
    properties = cluster.sparkSettings();
    properties.forEach(System::setProperty);
  }

  @AfterAll
  void stopCluster() {
    properties.keySet().forEach(System::clearProperty);
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void startsItsOwnContextFromSparkMasterAndStopsIt() throws Exception {
    assertThat("no SparkContext may run before", SparkContext$.MODULE$.getActive().isEmpty(),
        equalTo(true));
    List<String> local = run("local");
    List<String> spark = run("spark");
    assertThat(local, not(hasSize(0)));
    assertThat(spark, equalTo(local));
    assertThat("the executor stopped the context it started",
        SparkContext$.MODULE$.getActive().isEmpty(), equalTo(true));
  }

  private List<String> run(String executor) throws IOException {
    Path out = ROOT.resolve("output-" + executor + "-" + System.nanoTime());
    Files.createDirectories(out);
    Pipeline pipeline = Pipeline.create(cluster.options(executor, "ownContext"));
    DifferentialPipelines.statefulWithTimers(pipeline, out);
    assertThat(pipeline.run().waitUntilFinish(), equalTo(PipelineResult.State.DONE));
    List<String> lines = new ArrayList<>();
    List<Long> pids = new ArrayList<>();
    try (Stream<Path> files = Files.list(out)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".txt")).toList()) {
        pids.add(Long.parseLong(file.getFileName().toString().split("_")[0]));
        lines.addAll(Files.readAllLines(file, StandardCharsets.UTF_8));
      }
    }
    if (executor.equals("spark")) {
      assertThat("spark output comes from executor processes", pids,
          everyItem(not(equalTo(DRIVER_PID))));
    }
    Collections.sort(lines);
    return lines;
  }
}
