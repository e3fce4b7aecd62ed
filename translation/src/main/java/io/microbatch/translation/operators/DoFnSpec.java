package io.microbatch.translation.operators;

import io.microbatch.engine.graph.DatasetId;
import io.microbatch.engine.graph.ViewId;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.runners.core.construction.SerializablePipelineOptions;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.DoFnSchemaInformation;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.WindowingStrategy;

/**
 * Everything needed to run one ParDo's DoFn, gathered by the translator. Serializable (options in
 * their serializable form) so the operator factories holding it can go to remote executors.
 */
public record DoFnSpec<InputT, OutputT>(
    String stepName,
    DoFn<InputT, OutputT> fn,
    SerializablePipelineOptions serializableOptions,
    Coder<InputT> inputCoder,
    TupleTag<OutputT> mainOutputTag,
    List<TupleTag<?>> additionalOutputTags,
    Map<TupleTag<?>, Coder<?>> outputCoders,
    Map<TupleTag<?>, DatasetId> outputDatasets,
    WindowingStrategy<?, ?> windowingStrategy,
    DoFnSchemaInformation schemaInformation,
    Map<String, PCollectionView<?>> sideInputMapping,
    Map<PCollectionView<?>, ViewId> sideInputs) implements java.io.Serializable {

  /** The pipeline options (deserialized once per process on a remote executor). */
  public PipelineOptions options() {
    return serializableOptions.get();
  }
}
