package io.microbatch.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Produces records stamped with the wall clock while a pipeline runs: every tick one record to
 * each partition that is still active. A partition can stop receiving after some time (it goes
 * idle) while the others go on.
 */
final class LiveProducer implements AutoCloseable {
  private static final String[] KEYS = {"a", "b", "c"};

  private final ExecutorService executor =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "live-producer");
            t.setDaemon(true);
            return t;
          });
  private final Future<List<TimedRecord>> sent;

  /**
   * Starts producing to {@code topic}: for {@code runMillis}, every {@code tickMillis}, one record
   * to each of {@code partitions}, except that {@code idlePartition} only receives during the
   * first {@code idleAfterMillis}.
   */
  LiveProducer(
      EmbeddedKafkaBroker kafka,
      String topic,
      int partitions,
      int idlePartition,
      long idleAfterMillis,
      long runMillis,
      long tickMillis) {
    sent =
        executor.submit(
            () -> {
              List<TimedRecord> records = new ArrayList<>();
              try (KafkaProducer<String, String> producer = KafkaTestClients.producer(kafka)) {
                long start = System.currentTimeMillis();
                for (int tick = 0; System.currentTimeMillis() - start < runMillis; tick++) {
                  long now = System.currentTimeMillis();
                  for (int p = 0; p < partitions; p++) {
                    if (p == idlePartition && now - start >= idleAfterMillis) {
                      continue;
                    }
                    TimedRecord r = new TimedRecord(p, KEYS[(tick + p) % KEYS.length], now);
                    producer.send(new ProducerRecord<>(topic, p, now, r.key(), "v@" + now)).get();
                    records.add(r);
                  }
                  Thread.sleep(tickMillis);
                }
              }
              return records;
            });
  }

  /** Waits until production ended and returns every record sent, in sending order. */
  List<TimedRecord> await() throws ExecutionException, InterruptedException {
    return sent.get();
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
