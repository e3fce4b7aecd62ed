package io.microbatch.translation.operators;

import io.microbatch.engine.graph.DatasetId;
import io.microbatch.engine.graph.ViewId;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.DoFnSchemaInformation;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.WindowingStrategy;

/** Everything needed to run one ParDo's DoFn, gathered by the translator. */
public record DoFnSpec<InputT, OutputT>(
    String stepName,
    DoFn<InputT, OutputT> fn,
    PipelineOptions options,
    Coder<InputT> inputCoder,
    TupleTag<OutputT> mainOutputTag,
    List<TupleTag<?>> additionalOutputTags,
    Map<TupleTag<?>, Coder<?>> outputCoders,
    Map<TupleTag<?>, DatasetId> outputDatasets,
    WindowingStrategy<?, ?> windowingStrategy,
    DoFnSchemaInformation schemaInformation,
    Map<String, PCollectionView<?>> sideInputMapping,
    Map<PCollectionView<?>, ViewId> sideInputs) {}
