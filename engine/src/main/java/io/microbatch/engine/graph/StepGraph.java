package io.microbatch.engine.graph;

import io.microbatch.engine.clock.BatchClock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.values.WindowedValue;
import org.checkerframework.checker.nullness.qual.Nullable;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The program the engine runs: steps in topological order over datasets. Built by the translation
 * layer; checked here so that a malformed graph fails before any data moves.
 */
public final class StepGraph {
  private final List<Step> steps = new ArrayList<>();
  private final Set<DatasetId> produced = new HashSet<>();
  private int nextId;
  private BatchClock clock = BatchClock.SYSTEM;
  private final Map<DatasetId, Coder<? extends WindowedValue<?>>> coders = new HashMap<>();

  public DatasetId newDataset(String name) {
    return new DatasetId(nextId++, name);
  }

  /**
   * A new dataset whose elements encode with {@code coder} (value and windows): what the engine
   * needs to persist them (views, pushed-back input) and to fingerprint the pipeline.
   */
  public DatasetId newDataset(String name, Coder<? extends WindowedValue<?>> coder) {
    DatasetId dataset = newDataset(name);
    coders.put(dataset, coder);
    return dataset;
  }

  /** The coder of a dataset's windowed elements, or null if the translation did not give one. */
  public @Nullable Coder<? extends WindowedValue<?>> coder(DatasetId dataset) {
    return coders.get(dataset);
  }

  public ViewId newView(String name) {
    return new ViewId(nextId++, name);
  }

  /** Adds a step; its inputs must already be produced by earlier steps. */
  public void add(Step step) {
    for (DatasetId input : step.inputs()) {
      if (!produced.contains(input)) {
        throw new IllegalArgumentException(
            "Step '" + step.name() + "' reads dataset " + input + " before any step produces it");
      }
    }
    steps.add(step);
    produced.addAll(step.outputs());
  }

  /** The processing-time clock this program runs on: wall time unless a step drives its own. */
  public BatchClock clock() {
    return clock;
  }

  /** Makes a step-driven clock (a TestStream's) the program's processing time. */
  public void drivenBy(BatchClock clock) {
    if (this.clock != BatchClock.SYSTEM && this.clock != clock) {
      throw new IllegalStateException("A pipeline can be driven by one test clock only");
    }
    this.clock = clock;
  }

  /** Every step, in order, as a checkpoint fingerprint sees it. */
  public List<StepDescription> describe() {
    List<StepDescription> descriptions = new ArrayList<>(steps.size());
    for (Step step : steps) {
      List<String> coders = new ArrayList<>();
      for (DatasetId output : step.outputs()) {
        Coder<?> coder = coders(output);
        coders.add(coder == null ? "unknown" : stableDescription(coder));
      }
      descriptions.add(new StepDescription(step.name(), kindOf(step), coders));
    }
    return descriptions;
  }

  /**
   * A coder as the fingerprint sees it: its {@code toString()} without what differs between two
   * constructions of the same pipeline. Schema coders (KafkaIO's SDF read, any Row or schema'd
   * PCollection) print their schema's random UUID and a generated delegate coder's class name and
   * identity hash; kept, they made every run refuse its own checkpoint. Field names and types stay.
   */
  static String stableDescription(Coder<?> coder) {
    String description = coder.toString();
    description = SCHEMA_UUID.matcher(description).replaceAll("");
    description = GENERATED_CLASS.matcher(description).replaceAll("\\$ByteBuddy");
    return IDENTITY_HASH.matcher(description).replaceAll("");
  }

  private static final Pattern SCHEMA_UUID =
      Pattern.compile("(,?\\s*schemaUUID = |\\s*UUID: )[0-9a-fA-F-]{36}");
  private static final Pattern GENERATED_CLASS =
      Pattern.compile("\\$ByteBuddy\\$[A-Za-z0-9]+");
  private static final Pattern IDENTITY_HASH =
      Pattern.compile("(?<=[A-Za-z0-9_$])@[0-9a-f]{1,8}(?![0-9A-Za-z])");

  private Coder<?> coders(DatasetId dataset) {
    return this.coders.get(dataset);
  }

  private static String kindOf(Step step) {
    if (step instanceof Step.SourceStep source) {
      return "source:" + source.source().getClass().getSimpleName();
    } else if (step instanceof Step.ElementStep element) {
      return "element:" + element.factory().getClass().getSimpleName();
    } else if (step instanceof Step.KeyedStep keyed) {
      return "keyed:" + keyed.factory().getClass().getSimpleName();
    } else if (step instanceof Step.ViewStep view) {
      return view.triggered() ? "view:triggered" : "view";
    }
    return "union";
  }

  /** The steps in the order they were added, which is a topological order. */
  public List<Step> steps() {
    return Collections.unmodifiableList(steps);
  }
}
