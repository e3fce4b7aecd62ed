package io.microbatch.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

  private final List<Arrival> arrivals = new ArrayList<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread thread;

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
    thread =
        new Thread(
            () -> {
              try (consumer) {
                while (running.get()) {
                  for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
                    synchronized (arrivals) {
                      arrivals.add(
                          new Arrival(r.key() + "@" + r.value(), System.currentTimeMillis()));
                      arrivals.notifyAll();
                    }
                  }
                }
              }
            },
            "output-watcher-" + topic);
    thread.setDaemon(true);
    thread.start();
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
   * settle} more for anything extra (duplicates, wrong counts) and returns all records, sorted.
   */
  List<String> await(int count, Duration timeout, Duration settle) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (arrivals) {
      while (arrivals.size() < count && System.nanoTime() < deadline) {
        arrivals.wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
      }
    }
    Thread.sleep(settle.toMillis());
    return sortedRecords();
  }

  @Override
  public void close() throws InterruptedException {
    running.set(false);
    thread.join(5_000);
  }
}
