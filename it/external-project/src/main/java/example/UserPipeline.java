package example;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.FlatMapElements;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TypeDescriptors;

/** A user's pipeline: counts words and checks them against a plain Java count. */
public class UserPipeline {
  static final Map<String, Long> COUNTS = new ConcurrentHashMap<>();

  public static void main(String[] args) {
    List<String> lines = List.of("a b c", "b c", "c", "d a");
    Pipeline p = Pipeline.create(PipelineOptionsFactory.fromArgs(args).create());
    p.apply(Create.of(lines))
        .apply(FlatMapElements.into(TypeDescriptors.strings()).via(l -> Arrays.asList(l.split(" "))))
        .apply(Count.perElement())
        .apply(
            MapElements.into(TypeDescriptors.voids())
                .via(
                    (KV<String, Long> kv) -> {
                      COUNTS.put(kv.getKey(), kv.getValue());
                      return null;
                    }));
    p.run().waitUntilFinish();
    Map<String, Long> expected =
        lines.stream()
            .flatMap(l -> Arrays.stream(l.split(" ")))
            .collect(Collectors.groupingBy(w -> w, TreeMap::new, Collectors.counting()));
    if (!expected.equals(new TreeMap<>(COUNTS))) {
      throw new AssertionError("Expected " + expected + " but the runner produced " + COUNTS);
    }
    System.out.println("external project OK on " + p.getOptions().getRunner().getSimpleName() + ": " + expected);
  }
}
