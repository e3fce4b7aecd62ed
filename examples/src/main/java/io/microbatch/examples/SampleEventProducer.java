package io.microbatch.examples;

import java.util.Properties;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes sample events ("click", "view", "buy") into a Kafka topic at a steady rate until closed:
 * the key is the event kind, the record's create timestamp is the event time, up to {@code
 * maxJitterMillis} behind the wall clock (events arrive a little out of order). Events go to the
 * partitions in turn, so every partition receives some: a partition that never receives a record
 * would hold KafkaIO's watermark under {@code withCreateTime} (see docs/kafka.md).
 */
final class SampleEventProducer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SampleEventProducer.class);
  private static final String[] KINDS = {"click", "view", "buy"};

  private final KafkaProducer<String, String> producer;
  private final ScheduledExecutorService timer;
  private final AtomicLong sent = new AtomicLong();

  SampleEventProducer(String bootstrapServers, String topic, long eventsPerSecond, long maxJitterMillis) {
    Properties config = new Properties();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    int partitions = producer.partitionsFor(topic).size();
    Random random = new Random(42);
    timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "sample-event-producer");
              t.setDaemon(true);
              return t;
            });
    long periodMicros = Math.max(1, 1_000_000 / eventsPerSecond);
    timer.scheduleAtFixedRate(
        () -> {
          long n = sent.getAndIncrement();
          long timestamp =
              System.currentTimeMillis() - (maxJitterMillis == 0 ? 0 : random.nextLong(maxJitterMillis));
          String kind = KINDS[random.nextInt(KINDS.length)];
          producer.send(
              new ProducerRecord<>(topic, (int) (n % partitions), timestamp, kind, "event-" + n));
        },
        0,
        periodMicros,
        TimeUnit.MICROSECONDS);
    LOG.info(
        "Producing {} sample events per second into {} ({} partitions) at {}",
        eventsPerSecond,
        topic,
        partitions,
        bootstrapServers);
  }

  /** Events handed to the producer so far. */
  long sent() {
    return sent.get();
  }

  @Override
  public void close() throws InterruptedException {
    timer.shutdown();
    timer.awaitTermination(5, TimeUnit.SECONDS);
    producer.close();
    LOG.info("Produced {} sample events", sent.get());
  }
}
