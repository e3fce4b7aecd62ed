package io.microbatch.benchmarks.nexmark.queries;

import io.microbatch.benchmarks.nexmark.model.WordFrequency;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/** WordCount: words split on single spaces, counted with {@code Count.perElement}. */
public final class WordCount extends PTransform<PCollection<String>, PCollection<WordFrequency>> {
  @Override
  public PCollection<WordFrequency> expand(PCollection<String> lines) {
    return lines
        .apply("Split", ParDo.of(new DoFn<String, String>() {
          @ProcessElement
          public void process(@Element String line, OutputReceiver<String> out) {
            int start = 0;
            for (int i = 0; i <= line.length(); i++) {
              if (i == line.length() || line.charAt(i) == ' ') {
                if (i > start) {
                  out.output(line.substring(start, i));
                }
                start = i + 1;
              }
            }
          }
        }))
        .apply(Count.perElement())
        .apply("Format", ParDo.of(new DoFn<KV<String, Long>, WordFrequency>() {
          @ProcessElement
          public void process(@Element KV<String, Long> kv, OutputReceiver<WordFrequency> out) {
            out.output(new WordFrequency(kv.getKey(), kv.getValue()));
          }
        }));
  }
}
