package io.microbatch.engine.graph;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.microbatch.engine.operator.ElementOperatorFactory;
import io.microbatch.engine.source.BatchSource;
import io.microbatch.engine.source.SourceSplit;
import java.util.List;
import java.util.UUID;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.WindowedValue;
import org.apache.beam.sdk.values.WindowedValues;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

class StepGraphDescriptionTest {
  /** A source that is never run: only the graph's description is under test. */
  private static final class NoSource implements BatchSource {
    @Override
    public List<SourceSplit> planBatch(long batchId, int parallelism) {
      return List.of();
    }

    @Override
    public Instant watermark() {
      return BoundedWindow.TIMESTAMP_MAX_VALUE;
    }

    @Override
    public boolean isExhausted() {
      return true;
    }
  }

  private static final ElementOperatorFactory NO_OP = context -> null;

  private static Coder<WindowedValue<?>> windowed(Coder<?> coder) {
    @SuppressWarnings({"unchecked", "rawtypes"})
    Coder<WindowedValue<?>> full =
        (Coder) WindowedValues.getFullCoder(coder, GlobalWindow.Coder.INSTANCE);
    return full;
  }

  private static List<StepDescription> pipeline(String mapName, Coder<?> mapCoder) {
    StepGraph graph = new StepGraph();
    DatasetId read = graph.newDataset("read", windowed(StringUtf8Coder.of()));
    graph.add(new Step.SourceStep("Read", new NoSource(), read));
    DatasetId mapped = graph.newDataset("mapped", windowed(mapCoder));
    graph.add(new Step.ElementStep(mapName, List.of(read), NO_OP, List.of(mapped), List.of()));
    return graph.describe();
  }

  @Test
  void theSamePipelineDescribesTheSame() {
    assertThat(
        pipeline("Map", VarLongCoder.of()), equalTo(pipeline("Map", VarLongCoder.of())));
  }

  @Test
  void aRenamedStepOrChangedCoderDescribesDifferently() {
    List<StepDescription> original = pipeline("Map", VarLongCoder.of());
    assertThat(pipeline("Map2", VarLongCoder.of()), not(equalTo(original)));
    assertThat(pipeline("Map", StringUtf8Coder.of()), not(equalTo(original)));
  }

  private static Schema descriptorSchema(String secondField) {
    Schema schema = Schema.builder().addStringField("topic").addInt32Field(secondField).build();
    // As schema inference does on every pipeline construction: a fresh random UUID.
    schema.setUUID(UUID.randomUUID());
    return schema;
  }

  @Test
  void aSchemaCoderDescribesTheSameWhateverItsRandomUuidAndGeneratedDelegate() {
    Coder<?> first = RowCoder.of(descriptorSchema("partition"));
    Coder<?> second = RowCoder.of(descriptorSchema("partition"));
    assertThat(first.toString(), not(equalTo(second.toString())));
    assertThat(pipeline("Map", first), equalTo(pipeline("Map", second)));
    // The schema's fields still count.
    assertThat(
        pipeline("Map", RowCoder.of(descriptorSchema("offset"))),
        not(equalTo(pipeline("Map", first))));
  }

  @Test
  void describesNameKindAndOutputCoder() {
    StepDescription map = pipeline("Map", VarLongCoder.of()).get(1);
    assertThat(map.name(), equalTo("Map"));
    assertThat(map.outputCoders().size(), equalTo(1));
    assertThat(
        List.of(map.kind().startsWith("element:"), map.outputCoders().get(0).contains("VarLongCoder")),
        contains(true, true));
  }
}
