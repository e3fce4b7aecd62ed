package io.microbatch.spark.cluster;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The test cluster itself: child JVMs that register, log under target/, and go away on close. */
class LocalSparkClusterTest {

  @Test
  void bothWorkersRegisterOnLoopbackAndEveryChildProcessStopsOnClose() throws Exception {
    Path root = Path.of("target", "spark-cluster", "LocalSparkClusterTest").toAbsolutePath();
    List<ProcessHandle> children;
    try (LocalSparkCluster cluster =
        LocalSparkCluster.start(root, 2, 1, 1024, Duration.ofSeconds(90))) {
      assertThat(cluster.masterUrl(), containsString("spark://127.0.0.1:"));
      assertThat(cluster.aliveWorkers(), equalTo(2));
      children = ProcessHandle.current().children().toList();
      assertThat(children.size() >= 3, is(true));
    }
    for (ProcessHandle child : children) {
      assertThat("child " + child.pid() + " still alive", child.isAlive(), is(false));
    }
    // Other test classes in this JVM may leave short-lived children (e.g. Hadoop's shell
    // commands), so the check is on Spark's daemons, by their command line.
    assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
        .filter(p -> p.info().commandLine().orElse("").contains("org.apache.spark."))
        .map(ProcessHandle::pid).toList(), empty());
    assertThat(Files.readString(root.resolve("master.log")),
        containsString("Registering worker 127.0.0.1"));
    assertThat(Files.isRegularFile(root.resolve("worker-2.log")), is(true));
  }
}
