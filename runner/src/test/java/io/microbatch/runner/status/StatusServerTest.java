package io.microbatch.runner.status;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import io.microbatch.runner.MicroBatchPipelineResult;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.apache.beam.sdk.PipelineResult;
import org.junit.jupiter.api.Test;

/** The status server under a running streaming pipeline: its JSON, its files, its lifecycle. */
class StatusServerTest {

  @Test
  void jsonShowsBatchesRecordsStagesAndWatermarksOfARunningPipelineAndStopsOnCancel()
      throws Exception {
    MicroBatchPipelineResult result = StatusPipelines.startStreaming();
    URI base = result.statusUrl().orElseThrow();
    try {
      assertThat(base.getHost(), equalTo("127.0.0.1"));
      assertThat(base.getPort(), greaterThan(0));

      JsonNode first = StatusPipelines.awaitBatches(base, 3);
      long firstBatches = first.path("totals").path("batches").asLong();
      // The count must grow while the pipeline runs: wait for a later batch, not a fixed time.
      JsonNode second = StatusPipelines.awaitBatches(base, firstBatches + 1);
      long secondBatches = second.path("totals").path("batches").asLong();
      assertThat(secondBatches, greaterThan(firstBatches));
      assertThat(second.path("totals").path("recordsRead").asLong(), greaterThan(0L));
      assertThat(second.path("state").asText(), equalTo("RUNNING"));
      assertThat(second.path("streaming").asBoolean(), equalTo(true));
      assertThat(second.path("batchIntervalMillis").asLong(), equalTo(50L));

      // Recent batches: consecutive ids ending at the latest, input rate from records read.
      JsonNode batches = second.path("batches");
      assertThat(batches.size(), greaterThan(0));
      JsonNode last = batches.get(batches.size() - 1);
      assertThat(last.path("id").asLong(), equalTo(secondBatches - 1));
      long recentRecords = 0;
      for (JsonNode batch : batches) {
        recentRecords += batch.path("recordsRead").asLong();
        if (batch.path("recordsRead").asLong() > 0) {
          assertThat(batch.path("inputRate").asDouble(), greaterThan(0.0));
        }
      }
      assertThat(recentRecords, greaterThan(0L));

      // The stage graph: a source stage and, after the shuffle, the keyed count.
      List<String> kinds = new ArrayList<>();
      List<String> steps = new ArrayList<>();
      for (JsonNode stage : second.path("stages")) {
        kinds.add(stage.path("kind").asText());
        stage.path("steps").forEach(step -> steps.add(step.path("name").asText()));
      }
      assertThat(kinds, hasItems("source", "keyed"));
      assertThat(steps.stream().anyMatch(s -> s.startsWith("Generate")), equalTo(true));
      assertThat(steps.stream().anyMatch(s -> s.startsWith("Count")), equalTo(true));

      // Watermarks of every dataset; the source's moves past -inf as records arrive.
      JsonNode watermarks = second.path("watermarks");
      assertThat(watermarks.size(), greaterThan(1));
      List<String> displays = new ArrayList<>();
      watermarks.forEach(w -> displays.add(w.path("display").asText()));
      assertThat(displays, hasItem(not(equalTo("-inf"))));
      assertThat(displays, everyItem(not(equalTo(""))));
    } finally {
      assertThat(result.cancel(), equalTo(PipelineResult.State.CANCELLED));
    }
    assertThrows(
        ConnectException.class,
        () -> new Socket().connect(new InetSocketAddress("127.0.0.1", base.getPort()), 2_000));
  }

  @Test
  void servesThePageAndUplotFromTheJarAndNothingElse() throws Exception {
    MicroBatchPipelineResult result = StatusPipelines.startStreaming();
    try {
      URI base = result.statusUrl().orElseThrow();
      HttpResponse<String> page = StatusPipelines.get(base);
      assertThat(page.statusCode(), equalTo(200));
      assertThat(page.headers().firstValue("Content-Type").orElse(""), startsWith("text/html"));
      assertThat(page.body(), containsString("id=\"chart-rate\""));
      assertThat(page.body(), containsString("/static/uPlot.iife.min.js"));
      assertThat(page.body(), not(containsString("http")));

      HttpResponse<String> uplot = StatusPipelines.get(base.resolve("/static/uPlot.iife.min.js"));
      assertThat(uplot.statusCode(), equalTo(200));
      assertThat(uplot.body(), containsString("uPlot"));
      assertThat(StatusPipelines.get(base.resolve("/static/status.js")).statusCode(), equalTo(200));
      assertThat(
          StatusPipelines.get(base.resolve("/static/uPlot.min.css")).statusCode(), equalTo(200));

      assertThat(
          StatusPipelines.get(base.resolve("/static/nothing.js")).statusCode(), equalTo(404));
      assertThat(
          StatusPipelines.get(base.resolve("/static/../META-INF/MANIFEST.MF")).statusCode(),
          equalTo(404));
      HttpResponse<String> post =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(base.resolve("/api/status"))
                      .POST(HttpRequest.BodyPublishers.ofString("{}"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(post.statusCode(), equalTo(405));
    } finally {
      result.cancel();
    }
  }

  @Test
  void listensOnLoopbackOnlyByDefault() throws Exception {
    Optional<InetAddress> external = nonLoopbackIpv4();
    MicroBatchPipelineResult result = StatusPipelines.startStreaming();
    try {
      int port = result.statusUrl().orElseThrow().getPort();
      try (Socket loopback = new Socket()) {
        loopback.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
      }
      if (external.isPresent()) {
        assertThrows(
            ConnectException.class,
            () -> new Socket().connect(new InetSocketAddress(external.get(), port), 2_000),
            "reachable on " + external.get());
      }
    } finally {
      result.cancel();
    }
  }

  private static Optional<InetAddress> nonLoopbackIpv4() throws Exception {
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!nic.isUp() || nic.isLoopback()) {
        continue;
      }
      for (InetAddress address : Collections.list(nic.getInetAddresses())) {
        if (address instanceof Inet4Address && !address.isLoopbackAddress()) {
          return Optional.of(address);
        }
      }
    }
    return Optional.empty();
  }
}
