package io.microbatch.kafka;

import io.microbatch.translation.operators.RequiredFinalization;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VoidCoder;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.io.kafka.KafkaPublishTimestampFunction;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.AfterPane;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Repeatedly;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * The transactions behind {@link ExactlyOnceKafkaWrite}, in the spirit of the staged file sink;
 * {@code spec} is a KafkaIO write with {@code withEOS(numShards, sinkGroupId)} set, used for its
 * settings only. Records go to {@code numShards} shards by a hash of
 * their encoding (so a replayed batch shards them the same); each shard's pane gets the shard's next
 * sequence number from keyed state (so a replayed batch, which starts from the same state and sees
 * the same input, numbers its panes the same) and is staged in memory; once the batch is logged and
 * committed, a {@link RequiredFinalization} produces the pane in one Kafka transaction that also
 * commits {@code sequence + 1} as the sink group's offset of partition {@code shard} of the topic
 * ({@link TransactionalShardWriter}). A pane whose sequence Kafka has already committed is skipped:
 * that is a batch replayed after a crash that came after its transaction committed.
 */
final class StagedKafkaWrite<K, V> extends PTransform<PCollection<ProducerRecord<K, V>>, PDone> {
  private final KafkaIO.WriteRecords<K, V> spec;

  StagedKafkaWrite(KafkaIO.WriteRecords<K, V> spec) {
    this.spec = spec;
  }

  @Override
  public PDone expand(PCollection<ProducerRecord<K, V>> input) {
    if (spec.getSinkGroupId() == null || spec.getNumShards() <= 0) {
      throw new IllegalArgumentException(
          "The exactly-once Kafka write needs withEOS(numShards > 0, sinkGroupId), got "
              + spec.getNumShards() + " shards and sink group " + spec.getSinkGroupId());
    }
    Coder<ProducerRecord<K, V>> recordCoder = input.getCoder();
    input
        .apply(
            "AssignShards",
            ParDo.of(
                new AssignShardFn<>(
                    recordCoder, spec.getNumShards(), spec.getPublishTimestampFunction())))
        .setCoder(KvCoder.of(VarIntCoder.of(), recordCoder))
        // One pane per shard for what reaches the write in a round; the batch's commit, not the
        // trigger, decides when the records become visible.
        .apply(
            "PanePerRound",
            Window.<KV<Integer, ProducerRecord<K, V>>>into(new GlobalWindows())
                .triggering(Repeatedly.forever(AfterPane.elementCountAtLeast(1)))
                .discardingFiredPanes())
        .apply("GroupIntoShards", GroupByKey.create())
        .apply("StageTransactions", ParDo.of(new StageTransactionFn<>(spec)))
        .setCoder(VoidCoder.of());
    return PDone.in(input.getPipeline());
  }

  /**
   * Keys each record by a shard computed from its encoding, after filling in its publish timestamp
   * (which depends on the element's timestamp, lost once the records are rewindowed).
   */
  static final class AssignShardFn<K, V> extends DoFn<ProducerRecord<K, V>, KV<Integer, ProducerRecord<K, V>>> {
    private final Coder<ProducerRecord<K, V>> coder;
    private final int shards;
    private final KafkaPublishTimestampFunction<ProducerRecord<K, V>> publishTimestamp;

    AssignShardFn(
        Coder<ProducerRecord<K, V>> coder,
        int shards,
        KafkaPublishTimestampFunction<ProducerRecord<K, V>> publishTimestamp) {
      this.coder = coder;
      this.shards = shards;
      this.publishTimestamp = publishTimestamp;
    }

    @ProcessElement
    public void process(
        @Element ProducerRecord<K, V> record,
        @Timestamp Instant timestamp,
        OutputReceiver<KV<Integer, ProducerRecord<K, V>>> out)
        throws Exception {
      ProducerRecord<K, V> stamped = record;
      if (record.timestamp() == null && publishTimestamp != null) {
        stamped =
            new ProducerRecord<>(
                record.topic(),
                record.partition(),
                publishTimestamp.getTimestamp(record, timestamp).getMillis(),
                record.key(),
                record.value(),
                record.headers());
      }
      // Not a random or round-robin shard, as KafkaIO's sink picks: a replayed batch must put
      // every record into the same shard as before.
      int hash = Arrays.hashCode(CoderUtils.encodeToByteArray(coder, stamped));
      out.output(KV.of(Math.floorMod(hash, shards), stamped));
    }
  }

  /**
   * Numbers each shard's pane from keyed state and stages it for a transaction after the batch
   * commits.
   */
  static final class StageTransactionFn<K, V>
      extends DoFn<KV<Integer, Iterable<ProducerRecord<K, V>>>, Void> {
    /** Staged panes must be produced whenever their batch commits. */
    private static final Duration NEVER_EXPIRES = Duration.standardDays(365);

    private final KafkaIO.WriteRecords<K, V> spec;

    @StateId("nextSequence")
    private final StateSpec<ValueState<Long>> nextSequenceSpec = StateSpecs.value();

    StageTransactionFn(KafkaIO.WriteRecords<K, V> spec) {
      this.spec = spec;
    }

    @Setup
    public void setup() {
      // Opening every shard's producer at once aborts the transactions a killed predecessor left
      // open, which would otherwise hold back read_committed consumers until they time out, even
      // for shards this run has nothing to write to.
      for (int shard = 0; shard < spec.getNumShards(); shard++) {
        TransactionalShardWriter.forShard(spec, shard);
      }
    }

    @ProcessElement
    public void process(
        @Element KV<Integer, Iterable<ProducerRecord<K, V>>> pane,
        @StateId("nextSequence") ValueState<Long> nextSequence,
        BundleFinalizer finalizer) {
      int shard = pane.getKey();
      Long stored = nextSequence.read();
      long sequence = stored == null ? 0L : stored;
      nextSequence.write(sequence + 1);
      List<ProducerRecord<K, V>> records = new ArrayList<>();
      pane.getValue().forEach(records::add);
      finalizer.afterBundleCommit(
          Instant.now().plus(NEVER_EXPIRES),
          (RequiredFinalization)
              () -> TransactionalShardWriter.<K, V>forShard(spec, shard).commit(sequence, records));
    }
  }
}
