package io.microbatch.benchmarks.harness;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The latency section of {@code docs/benchmarks.md} (between the {@code latency-results} markers),
 * from the JSON lines of {@code LatencyMain}: one row per pipeline, runner, rate and batch interval.
 */
final class LatencyReport {
  static final String BEGIN = "<!-- latency-results:begin (written by benchmarks/run.sh) -->";
  static final String END = "<!-- latency-results:end -->";

  private LatencyReport() {}

  static boolean isLatency(JsonNode line) {
    return line.path("workload").asText().equals("latency");
  }

  static String markdown(List<JsonNode> lines, Map<String, String> args) {
    StringBuilder md = new StringBuilder();
    md.append("Run on ").append(args.getOrDefault("date", "?")).append(", command:\n\n```bash\n")
        .append(args.getOrDefault("command", "?")).append("\n```\n\n")
        .append("Machine: ").append(args.getOrDefault("machine", "?")).append("\n\n")
        .append("End-to-end latency in streaming mode, in ms (nearest-rank percentiles over every output whose "
            + "event arrived, or whose window ended, in the measured period; warm-up excluded). Samples: "
            + "outputs measured (expected: events kept by the filter, or windows x keys). Batches: those that "
            + "started in the measured period (MicroBatch only).\n\n")
        .append("| pipeline | runner | events/s | interval | samples (expected) | latency p50 / p90 / p99 / max "
            + "| batches (expected) | records per batch | scheduling delay p50 / p99 / max "
            + "| batch processing p50 / p99 / max | load average before |\n")
        .append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
    for (JsonNode n : lines) {
      JsonNode b = n.path("batches");
      boolean hasBatches = b.isObject();
      md.append(String.format(Locale.ROOT, "| %s | %s | %,d | %s | %,d (%,d) | %s | %s | %s | %s | %s | %s |%n",
          n.path("pipeline").asText()
              + (n.path("windowMillis").isNumber() ? " (" + n.path("windowMillis").asLong() + " ms windows, "
                  + n.path("keys").asLong() + " keys)" : ""),
          n.path("runner").asText(), n.path("eventsPerSecond").asLong(),
          n.path("intervalMillis").isNumber() ? n.path("intervalMillis").asLong() + " ms" : "n/a",
          n.path("samples").asLong(), n.path("expectedSamples").asLong(),
          quartet(n.path("latencyMillis"), "p50", "p90", "p99", "max"),
          hasBatches ? String.format(Locale.ROOT, "%,d (%,d)", b.path("count").asLong(), b.path("expected").asLong())
              : "n/a",
          hasBatches ? String.format(Locale.ROOT, "%,.0f", b.path("recordsMean").asDouble()) : "n/a",
          hasBatches ? quartet(b.path("schedulingDelayMillis"), "p50", "p99", "max") : "n/a",
          hasBatches ? quartet(b.path("processingMillis"), "p50", "p99", "max") : "n/a",
          n.path("loadAverage").path("before").asText()));
    }
    return md.append('\n').toString();
  }

  /** {@code a / b / c} of the named fields, in ms, or "none" without samples. */
  private static String quartet(JsonNode millis, String... fields) {
    if (!millis.isObject()) {
      return "none";
    }
    StringBuilder s = new StringBuilder();
    for (String f : fields) {
      s.append(s.length() == 0 ? "" : " / ").append(format(millis.path(f).asDouble()));
    }
    return s.toString();
  }

  private static String format(double ms) {
    return ms >= 100 ? String.format(Locale.ROOT, "%,.0f", ms) : String.format(Locale.ROOT, "%.1f", ms);
  }
}
