package io.microbatch.benchmarks.harness;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarizes the {@code jdk.ExecutionSample} events of a JFR recording as Markdown: the top methods
 * by self samples (top frame) and by inclusive samples (anywhere on the stack, counted once per
 * sample, leaving out the JDK's own frames and the benchmark harness, which are on every stack),
 * each as a share of the samples counted; optionally only samples with a frame whose
 * {@code class.method} contains a filter (e.g. {@code PartitionTask.call}: the engine's partition
 * tasks, leaving out JVM start-up, pipeline construction and translation).
 *
 * <pre>JfrHotspots recording.jfr [top=15] [frameFilter]</pre>
 */
public final class JfrHotspots {
  private JfrHotspots() {}

  public static void main(String[] args) throws IOException {
    Path file = Path.of(args[0]);
    int top = args.length > 1 ? Integer.parseInt(args[1]) : 15;
    String frameFilter = args.length > 2 ? args[2] : "";
    Map<String, Integer> self = new HashMap<>();
    Map<String, Integer> inclusive = new HashMap<>();
    int samples = 0;
    int all = 0;
    for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
      if (!e.getEventType().getName().equals("jdk.ExecutionSample")) {
        continue;
      }
      RecordedStackTrace stack = e.getStackTrace();
      if (stack == null || stack.getFrames().isEmpty()) {
        continue;
      }
      all++;
      List<RecordedFrame> frames = stack.getFrames();
      if (!frameFilter.isEmpty() && frames.stream().noneMatch(f -> name(f).contains(frameFilter))) {
        continue;
      }
      samples++;
      self.merge(name(frames.get(0)), 1, Integer::sum);
      Set<String> seen = new HashSet<>();
      for (RecordedFrame f : frames) {
        String n = name(f);
        if (!isFrameOfEveryStack(n) && seen.add(n)) {
          inclusive.merge(n, 1, Integer::sum);
        }
      }
    }
    System.out.printf(Locale.ROOT, "%d of %d execution samples%s; shares are of those %d.%n%n", samples, all,
        frameFilter.isEmpty() ? "" : " have `" + frameFilter + "` on the stack", samples);
    print("self (top frame)", self, samples, top);
    print("inclusive (on the stack)", inclusive, samples, top);
  }

  private static void print(String title, Map<String, Integer> counts, int samples, int top) {
    System.out.println("| " + title + " | share |");
    System.out.println("|---|---:|");
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
        .limit(top)
        .forEach(en -> System.out.printf(Locale.ROOT, "| `%s` | %.1f%% |%n", en.getKey(),
            100.0 * en.getValue() / Math.max(1, samples)));
    System.out.println();
  }

  private static boolean isFrameOfEveryStack(String method) {
    return method.startsWith("java.") || method.startsWith("jdk.") || method.startsWith("sun.")
        || method.startsWith("io.microbatch.benchmarks.harness.");
  }

  private static String name(RecordedFrame f) {
    return f.getMethod().getType().getName() + "." + f.getMethod().getName();
  }
}
