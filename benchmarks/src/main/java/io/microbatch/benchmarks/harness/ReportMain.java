package io.microbatch.benchmarks.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns the JSON lines of one {@code run.sh} into {@code results.json} and the results section of
 * {@code docs/benchmarks.md} (between the {@code nexmark-results} markers): throughput per runner
 * and workload, the ratios against the targets, the results check, and the per-batch
 * overhead in streaming mode; and the end-to-end latency section ({@link LatencyReport}).
 *
 * <pre>--in=results.jsonl --json=results.json --markdown=docs/benchmarks.md --command="..." --machine="..."</pre>
 */
public final class ReportMain {
  static final String BEGIN = "<!-- nexmark-results:begin (written by benchmarks/run.sh) -->";
  static final String END = "<!-- nexmark-results:end -->";
  private static final ObjectMapper JSON = new ObjectMapper();

  private ReportMain() {}

  public static void main(String[] argv) throws IOException {
    Map<String, String> args = new LinkedHashMap<>();
    for (String a : argv) {
      int eq = a.indexOf('=');
      args.put(a.substring(2, eq), a.substring(eq + 1));
    }
    List<JsonNode> lines = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of(args.get("in")), StandardCharsets.UTF_8)) {
      if (!line.isBlank()) {
        lines.add(JSON.readTree(line));
      }
    }
    ObjectNode root = JSON.createObjectNode();
    root.put("date", args.getOrDefault("date", ""));
    root.put("machine", args.getOrDefault("machine", ""));
    root.put("command", args.getOrDefault("command", ""));
    ArrayNode results = root.putArray("results");
    lines.forEach(results::add);
    JSON.writerWithDefaultPrettyPrinter().writeValue(Path.of(args.get("json")).toFile(), root);

    // Each section is rewritten only by a run that measured it, so a latency-only run keeps the
    // runner comparison's figures and vice versa.
    List<JsonNode> latency = lines.stream().filter(LatencyReport::isLatency).toList();
    List<JsonNode> comparison = lines.stream().filter(n -> !LatencyReport.isLatency(n)).toList();
    Path doc = Path.of(args.get("markdown"));
    String text = Files.readString(doc, StandardCharsets.UTF_8);
    if (!comparison.isEmpty() || latency.isEmpty()) {
      String section = markdown(comparison, args);
      text = replaceSection(text, BEGIN, END, section, doc);
      System.out.println(section);
    }
    if (!latency.isEmpty()) {
      String section = LatencyReport.markdown(latency, args);
      text = replaceSection(text, LatencyReport.BEGIN, LatencyReport.END, section, doc);
      System.out.println(section);
    }
    Files.writeString(doc, text, StandardCharsets.UTF_8);
  }

  private static String replaceSection(String text, String begin, String end, String section, Path doc) {
    int b = text.indexOf(begin);
    int e = text.indexOf(end);
    if (b < 0 || e < b) {
      throw new IllegalStateException(doc + " lacks the markers " + begin + " ... " + end);
    }
    return text.substring(0, b + begin.length()) + "\n" + section + text.substring(e);
  }

  static String markdown(List<JsonNode> lines, Map<String, String> args) {
    StringBuilder md = new StringBuilder();
    md.append("Run on ").append(args.getOrDefault("date", "?")).append(", command:\n\n```bash\n")
        .append(args.getOrDefault("command", "?")).append("\n```\n\n")
        .append("Machine: ").append(args.getOrDefault("machine", "?")).append("\n\n");

    Map<String, Map<String, JsonNode>> byWorkload = new LinkedHashMap<>();
    Set<String> columns = new LinkedHashSet<>(List.of("java", "microbatch", "microbatch-streaming", "direct", "flink"));
    for (JsonNode n : lines) {
      if (n.path("workload").asText().equals("empty-batch")) {
        continue;
      }
      String column = n.path("runner").asText() + (n.path("mode").asText().equals("streaming") ? "-streaming" : "");
      byWorkload.computeIfAbsent(n.path("workload").asText(), k -> new LinkedHashMap<>()).put(column, n);
    }
    if (!byWorkload.isEmpty()) {
      JsonNode any = byWorkload.values().iterator().next().values().iterator().next();
      md.append(String.format(Locale.ROOT,
          "Events per second (median of the measured runs; input size per workload in the column events, "
              + "seed %d, %d threads, heap %d MiB, warm-up runs excluded). MB = MicroBatch batch mode. Check: every "
              + "runner's output digest equals the hand-written one's.%n%n", any.path("seed").asLong(),
          any.path("threads").asLong(), any.path("maxHeap").asLong() >> 20));
      md.append("| workload | events | hand-written | MicroBatch batch | MicroBatch streaming | Direct | Flink "
          + "| MB / Flink (target >= 3) | MB / Direct (target >= 10) | hand-written / MB (target <= 3, stateless) | check |\n");
      md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
      for (Map.Entry<String, Map<String, JsonNode>> w : byWorkload.entrySet()) {
        Map<String, JsonNode> r = w.getValue();
        md.append("| ").append(w.getKey()).append(" | ")
            .append(String.format(Locale.ROOT, "%,d", r.values().iterator().next().path("events").asLong()));
        for (String c : columns) {
          md.append(" | ").append(r.containsKey(c) ? String.format(Locale.ROOT, "%,.0f", rate(r.get(c))) : "n/a");
        }
        md.append(" | ").append(ratio(r.get("microbatch"), r.get("flink"), 3, true))
            .append(" | ").append(ratio(r.get("microbatch"), r.get("direct"), 10, true))
            .append(" | ").append(statelessRatio(r))
            .append(" | ").append(check(r)).append(" |\n");
      }
      md.append('\n');
    }

    List<JsonNode> overhead = lines.stream()
        .filter(n -> n.path("workload").asText().equals("empty-batch")).toList();
    if (!overhead.isEmpty()) {
      md.append("Per-batch overhead of MicroBatch in streaming mode (source stage + keyed combine stage, ")
          .append("one record every 10 s, so nearly every batch is empty; warm-up batches excluded). ")
          .append("Overhead = mean processing time of an empty batch / interval (target < 10% at 10 ms).\n\n")
          .append("| interval | batches (expected) | empty | empty batch processing p50 / p99 / mean | "
              + "scheduling delay p50 / p99 / max | overhead |\n")
          .append("|---:|---:|---:|---:|---:|---:|\n");
      for (JsonNode n : overhead) {
        JsonNode p = n.path("emptyProcessingMicros");
        JsonNode d = n.path("schedulingDelayMicros");
        md.append(String.format(Locale.ROOT,
            "| %d ms | %d (%d) | %d | %s / %s / %s | %s / %s / %s | %.1f%% |%n",
            n.path("intervalMillis").asLong(), n.path("batches").asLong(), n.path("expectedBatches").asLong(),
            n.path("emptyBatches").asLong(), ms(p, "p50"), ms(p, "p99"), ms(p, "mean"),
            ms(d, "p50"), ms(d, "p99"), ms(d, "max"), n.path("overheadPercent").asDouble()));
      }
      md.append('\n');
    }
    return md.toString();
  }

  private static double rate(JsonNode n) {
    return n.path("eventsPerSecond").asDouble();
  }

  private static String ratio(JsonNode num, JsonNode den, double target, boolean atLeast) {
    if (num == null || den == null) {
      return "n/a";
    }
    double r = rate(num) / rate(den);
    boolean met = atLeast ? r >= target : r <= target;
    return String.format(Locale.ROOT, "%.2f %s", r, met ? "met" : "**missed**");
  }

  private static String statelessRatio(Map<String, JsonNode> r) {
    JsonNode any = r.values().iterator().next();
    if (any.path("stateless").asBoolean(false)) {
      return ratio(r.get("java"), r.get("microbatch"), 3, false);
    }
    if (r.get("java") == null || r.get("microbatch") == null) {
      return "n/a";
    }
    return String.format(Locale.ROOT, "%.2f (stateful: no target)", rate(r.get("java")) / rate(r.get("microbatch")));
  }

  private static String check(Map<String, JsonNode> r) {
    JsonNode reference = r.get("java");
    if (reference == null) {
      return "no reference";
    }
    String expected = reference.path("digests").path(0).asText();
    List<String> wrong = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : r.entrySet()) {
      JsonNode digests = e.getValue().path("digests");
      if (digests.size() != 1 || !digests.path(0).asText().equals(expected)) {
        wrong.add(e.getKey());
      }
    }
    return wrong.isEmpty() ? "equal (" + reference.path("outputs").asLong() + " outputs)" : "**differs: " + wrong + "**";
  }

  private static String ms(JsonNode n, String field) {
    return String.format(Locale.ROOT, "%.2f ms", n.path(field).asDouble() / 1000.0);
  }
}
