package io.microbatch.kafka;

import java.util.Optional;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.io.kafka.TimestampPolicy;
import org.apache.beam.sdk.io.kafka.TimestampPolicyFactory;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.kafka.common.TopicPartition;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Create-time timestamps for a topic whose input is fixed in advance: like {@code
 * withCreateTime(maxDelay)} the watermark trails the newest record by {@code maxDelay}, but it moves
 * only with the records read (never with the wall clock, so every run sees the same), and jumps to
 * the end of time once the partition's last record ({@code endOffset - 1}) was read, or the read
 * reports an empty backlog after reading some (see {@link #getWatermark}). The source
 * then counts as exhausted and a streaming job ends on its own, which is how the crash test's child
 * knows it finished.
 */
final class EndOfInputTimestampPolicy<K, V> extends TimestampPolicy<K, V> {
  private final long endOffset;
  private final Duration maxDelay;
  private Instant watermark;

  private EndOfInputTimestampPolicy(long endOffset, Duration maxDelay, Optional<Instant> previous) {
    this.endOffset = endOffset;
    this.maxDelay = maxDelay;
    // A reader resumed from a checkpoint mark starts where the mark left the watermark.
    this.watermark = previous.orElse(BoundedWindow.TIMESTAMP_MIN_VALUE);
  }

  /** Every partition holds offsets {@code [0, endOffset)}. */
  static <K, V> TimestampPolicyFactory<K, V> factory(long endOffset, Duration maxDelay) {
    return (TopicPartition partition, Optional<Instant> previous) ->
        new EndOfInputTimestampPolicy<>(endOffset, maxDelay, previous);
  }

  @Override
  public Instant getTimestampForRecord(PartitionContext context, KafkaRecord<K, V> record) {
    Instant timestamp = new Instant(record.getTimestamp());
    if (record.getOffset() >= endOffset - 1) {
      watermark = BoundedWindow.TIMESTAMP_MAX_VALUE;
    } else if (timestamp.minus(maxDelay).isAfter(watermark)) {
      watermark = timestamp.minus(maxDelay);
    }
    return timestamp;
  }

  @Override
  public Instant getWatermark(PartitionContext context) {
    // The SDF read makes a new policy for every call, from the watermark its last checkpoint
    // captured, which may predate the last record; an empty backlog after reading (KafkaIO's own
    // idle test) then says the same as seeing the last record, since the input never grows.
    if (context.getMessageBacklog() == 0 && watermark.isAfter(BoundedWindow.TIMESTAMP_MIN_VALUE)) {
      watermark = BoundedWindow.TIMESTAMP_MAX_VALUE;
    }
    return watermark;
  }
}
