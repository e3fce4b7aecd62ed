package io.microbatch.translation;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.microbatch.engine.graph.Step;
import io.microbatch.engine.graph.StepGraph;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.CrashingRunner;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.transforms.windowing.AfterPane;
import org.apache.beam.sdk.transforms.windowing.Repeatedly;
import org.apache.beam.sdk.transforms.windowing.Sessions;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.WindowingStrategy;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;

class PipelineTranslatorTest {

  private static Map<String, Step> stepsByName(Pipeline pipeline) {
    StepGraph graph =
        new PipelineTranslator(TranslatorRegistry.standard())
            .translate(pipeline, PipelineOptionsFactory.create());
    return graph.steps().stream().collect(Collectors.toMap(Step::name, s -> s));
  }

  private static Pipeline pipeline() {
    PipelineOptions options = PipelineOptionsFactory.create();
    // Only translated here, never run.
    options.setRunner(CrashingRunner.class);
    return Pipeline.create(options);
  }

  @Test
  void combinePerKeyIsLiftedIntoAPartialCombineBeforeTheShuffle() {
    Pipeline p = pipeline();
    p.apply(Create.of(KV.of("a", 1), KV.of("b", 2))).apply("Sum", Sum.integersPerKey());
    Map<String, Step> steps = stepsByName(p);
    assertThat(steps.get("Sum/Partial"), instanceOf(Step.ElementStep.class));
    Step keyed = steps.get("Sum");
    assertThat(keyed, instanceOf(Step.KeyedStep.class));
    assertThat(keyed.inputs(), hasItem(steps.get("Sum/Partial").outputs().get(0)));
  }

  @Test
  void combineOverMergingWindowsTakesTheExpansion() {
    Pipeline p = pipeline();
    p.apply(Create.of(KV.of("a", 1)))
        .apply(Window.into(Sessions.withGapDuration(Duration.standardMinutes(1))))
        .apply("Sum", Sum.integersPerKey());
    Map<String, Step> steps = stepsByName(p);
    assertThat(steps.keySet(), not(hasItem("Sum/Partial")));
    assertThat(steps.get("Sum/GroupByKey"), instanceOf(Step.KeyedStep.class));
  }

  @Test
  void combineWithACountTriggerTakesTheExpansion() {
    Pipeline p = pipeline();
    p.apply(Create.of(KV.of("a", 1)))
        .apply(
            Window.<KV<String, Integer>>configure()
                .triggering(Repeatedly.forever(AfterPane.elementCountAtLeast(2)))
                .discardingFiredPanes()
                .withAllowedLateness(Duration.ZERO))
        .apply("Sum", Sum.integersPerKey());
    assertThat(stepsByName(p).keySet(), not(hasItem("Sum/Partial")));
  }

  /** A primitive no runner knows: it has no URN and no translator. */
  private static final class UnknownPrimitive extends PTransform<PBegin, PCollection<String>> {
    @Override
    public PCollection<String> expand(PBegin input) {
      return PCollection.createPrimitiveOutputInternal(
          input.getPipeline(),
          WindowingStrategy.globalDefault(),
          PCollection.IsBounded.BOUNDED,
          StringUtf8Coder.of());
    }
  }

  @Test
  void unsupportedTransformFailsNamingTheStepAndItsUrn() {
    Pipeline p = pipeline();
    p.apply("Mystery", new UnknownPrimitive());
    UnsupportedOperationException e =
        assertThrows(UnsupportedOperationException.class, () -> stepsByName(p));
    assertThat(
        e.getMessage(),
        allOf(
            containsString("'Mystery'"),
            containsString(UnknownPrimitive.class.getName()),
            containsString("URN null")));
  }

  @Test
  void testStreamDrivesThePipelineWithAManualClock() {
    Pipeline p = pipeline();
    p.apply("Events", TestStream.create(StringUtf8Coder.of()).advanceWatermarkToInfinity());
    StepGraph graph =
        new PipelineTranslator(TranslatorRegistry.standard())
            .translate(p, PipelineOptionsFactory.create());
    assertThat(graph.clock().isManual(), org.hamcrest.Matchers.is(true));
    assertThat(graph.steps().get(0), instanceOf(Step.SourceStep.class));
  }

  @Test
  void everyStepOfWordCountShapedPipelineHasATranslation() {
    Pipeline p = pipeline();
    p.apply(Create.of(List.of("a b", "b c")))
        .apply(
            org.apache.beam.sdk.transforms.FlatMapElements.into(
                    org.apache.beam.sdk.values.TypeDescriptors.strings())
                .via(line -> List.of(line.split(" "))))
        .apply(org.apache.beam.sdk.transforms.Count.perElement());
    assertThat(stepsByName(p).keySet(), hasItem("Count.PerElement/Combine.perKey(Count)/Partial"));
  }
}
