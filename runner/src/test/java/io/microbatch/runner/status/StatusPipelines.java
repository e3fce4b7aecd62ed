package io.microbatch.runner.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.microbatch.runner.MicroBatchPipelineOptions;
import io.microbatch.runner.MicroBatchPipelineResult;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.GenerateSequence;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.TypeDescriptors;

/** A streaming pipeline with a status page, and a client for its JSON, shared by the tests. */
final class StatusPipelines {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private StatusPipelines() {}

  /**
   * Starts an endless pipeline (a rate-limited unbounded source, keyed counts in one-second
   * windows: a source stage and a keyed stage) with {@code --statusPort=0}.
   */
  static MicroBatchPipelineResult startStreaming() {
    MicroBatchPipelineOptions options =
        PipelineOptionsFactory.fromArgs(
                "--runner=MicroBatchRunner",
                "--streaming=true",
                "--batchIntervalMillis=50",
                "--stateBackend=memory",
                "--statusPort=0")
            .as(MicroBatchPipelineOptions.class);
    Pipeline p = Pipeline.create(options);
    org.joda.time.Duration second = org.joda.time.Duration.standardSeconds(1);
    p.apply("Generate", GenerateSequence.from(0).withRate(1_000, second))
        .apply(
            "Parity",
            MapElements.into(TypeDescriptors.strings()).via(n -> n % 2 == 0 ? "even" : "odd"))
        .apply("Windows", Window.<String>into(FixedWindows.of(second)))
        .apply("Count", Count.perElement());
    return (MicroBatchPipelineResult) p.run();
  }

  static HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
    return CLIENT.send(
        HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode status(URI base) throws IOException, InterruptedException {
    HttpResponse<String> response = get(base.resolve("/api/status"));
    if (response.statusCode() != 200) {
      throw new IllegalStateException("/api/status answered " + response.statusCode());
    }
    return MAPPER.readTree(response.body());
  }

  /** Polls the JSON until at least {@code batches} batches are committed, for up to 30 s. */
  static JsonNode awaitBatches(URI base, long batches) throws IOException, InterruptedException {
    return awaitTotals(base, batches, 0);
  }

  /**
   * Polls the JSON until at least {@code batches} batches are committed and {@code records} records
   * read in all, for up to 30 s; fails with the last status otherwise.
   */
  static JsonNode awaitTotals(URI base, long batches, long records)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    JsonNode status = status(base);
    while (status.path("totals").path("batches").asLong() < batches
        || status.path("totals").path("recordsRead").asLong() < records) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "Fewer than " + batches + " batches or " + records + " records read after 30 s: "
                + status);
      }
      Thread.sleep(50);
      status = status(base);
    }
    return status;
  }
}
