package io.microbatch.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads an output topic from its beginning in a background thread, keeping each record as {@code
 * key@value} with the wall time it arrived, so tests can check what a pipeline wrote and when.
 */
final class OutputTopicWatcher implements AutoCloseable {
  /** An output record and the wall-clock millis the watcher received it. */
  record Arrival(String record, long arrivedMillis) {}

  private final String topic;
  private final List<Arrival> arrivals = new ArrayList<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread thread;
  /** Catch-ups asked for by {@link #readToEnd} and done by the thread; guarded by arrivals. */
  private long catchUpsRequested;
  private long catchUpsDone;

  OutputTopicWatcher(EmbeddedKafkaBroker kafka, String topic, int partitions) {
    this(KafkaTestClients.consumer(kafka, null), topic, partitions);
  }

  /** Reads with the given consumer (e.g. a {@code read_committed} one), which it closes. */
  OutputTopicWatcher(KafkaConsumer<String, String> consumer, String topic, int partitions) {
    Set<TopicPartition> all =
        java.util.stream.IntStream.range(0, partitions)
            .mapToObj(p -> new TopicPartition(topic, p))
            .collect(Collectors.toSet());
    consumer.assign(all);
    consumer.seekToBeginning(all);
    this.topic = topic;
    thread = new Thread(() -> watch(consumer, all), "output-watcher-" + topic);
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Polls until closed. When a catch-up is requested it takes the end offsets then (under {@code
   * read_committed} the last stable offsets), and reports it done once its position reached them.
   */
  private void watch(KafkaConsumer<String, String> consumer, Set<TopicPartition> all) {
    try (consumer) {
      Map<TopicPartition, Long> target = null;
      long serving = 0;
      while (running.get()) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
          synchronized (arrivals) {
            arrivals.add(new Arrival(r.key() + "@" + r.value(), System.currentTimeMillis()));
            arrivals.notifyAll();
          }
        }
        long requested;
        synchronized (arrivals) {
          requested = catchUpsRequested;
        }
        if (requested > serving) {
          // End offsets taken after the request: they cover everything written before it.
          target = consumer.endOffsets(all);
          serving = requested;
        }
        if (target != null && reached(consumer, target)) {
          target = null;
          synchronized (arrivals) {
            catchUpsDone = serving;
            arrivals.notifyAll();
          }
        }
      }
    }
  }

  private static boolean reached(
      KafkaConsumer<String, String> consumer, Map<TopicPartition, Long> offsets) {
    return offsets.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
  }

  /** The window start of a {@code key@windowStart=count} record. */
  static long windowStartOf(Arrival arrival) {
    String r = arrival.record();
    return Long.parseLong(r.substring(r.indexOf('@') + 1, r.indexOf('=')));
  }

  /** Everything received so far, in arrival order. */
  List<Arrival> arrivals() {
    synchronized (arrivals) {
      return new ArrayList<>(arrivals);
    }
  }

  /** The records received so far, sorted. */
  List<String> sortedRecords() {
    return arrivals().stream().map(Arrival::record).sorted().toList();
  }

  /**
   * Waits until at least {@code count} records arrived or {@code timeout} passed, then waits {@code
   * settle} more for anything extra (duplicates, wrong counts) and returns all records, sorted:
   * everything in the topic when the settle ended (see {@link #readToEnd}).
   */
  List<String> await(int count, Duration timeout, Duration settle) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (arrivals) {
      while (arrivals.size() < count && System.nanoTime() < deadline) {
        arrivals.wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
      }
    }
    Thread.sleep(settle.toMillis());
    return readToEnd(timeout);
  }

  /**
   * Returns all records, sorted, once the watcher read the topic up to its end offsets as of this
   * call (the last stable offsets if it reads {@code read_committed}): exactly what was written by
   * then, however recently. Fails if that takes longer than {@code timeout}.
   */
  List<String> readToEnd(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (arrivals) {
      long request = ++catchUpsRequested;
      while (catchUpsDone < request) {
        long left = deadline - System.nanoTime();
        if (left <= 0 || !thread.isAlive()) {
          throw new AssertionError(
              "Did not read " + topic + " to its end offsets within " + timeout + " (watcher "
                  + (thread.isAlive() ? "running" : "stopped") + ", " + arrivals.size()
                  + " records so far)");
        }
        arrivals.wait(Math.max(1, Math.min(left / 1_000_000, 100)));
      }
    }
    return sortedRecords();
  }

  @Override
  public void close() throws InterruptedException {
    running.set(false);
    thread.join(5_000);
  }
}
