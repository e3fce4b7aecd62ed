package io.microbatch.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.LeaderNotAvailableException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Features;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka cluster inside this JVM, for tests and examples: one process that is
 * both broker and KRaft controller (no ZooKeeper), listening on 127.0.0.1 only, with its logs in a
 * temporary directory deleted on {@link #close()}.
 *
 * <pre>{@code
 * try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start()) {
 *   kafka.createTopic("events", 4);
 *   ... KafkaIO.read().withBootstrapServers(kafka.bootstrapServers()) ...
 * }
 * }</pre>
 *
 * <p>Internal topics (consumer offsets, transactions) are created with one replica and one
 * partition, so consumer groups and commits work on the single node and start quickly.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
  private static final String HOST = "127.0.0.1";
  private static final int NODE_ID = 1;
  private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

  private final Path logDir;
  private final int brokerPort;
  private final KafkaRaftServer server;
  private final Admin admin;

  private EmbeddedKafkaBroker(Path logDir, int brokerPort, KafkaRaftServer server, Admin admin) {
    this.logDir = logDir;
    this.brokerPort = brokerPort;
    this.server = server;
    this.admin = admin;
  }

  /**
   * Formats a fresh storage directory and starts the combined broker and controller on free ports
   * of 127.0.0.1; returns once the broker answers metadata requests.
   */
  public static EmbeddedKafkaBroker start() {
    return start(Map.of());
  }

  /**
   * As {@link #start()}, with broker settings that replace or add to the defaults; for tests of
   * the broker's own behaviour (e.g. a short {@code log.initial.task.delay.ms}).
   */
  static EmbeddedKafkaBroker start(Map<String, String> overrides) {
    Path logDir;
    try {
      logDir = Files.createTempDirectory("microbatch-kafka-");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create the broker's log directory", e);
    }
    int brokerPort = freePort();
    int controllerPort = freePort();
    Properties properties = brokerProperties(logDir, brokerPort, controllerPort);
    properties.putAll(overrides);
    KafkaConfig config = new KafkaConfig(properties, false);
    format(config, logDir);
    KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
    long started = System.nanoTime();
    server.startup();
    Admin admin = null;
    try {
      admin = Admin.create(adminProperties(HOST + ":" + brokerPort));
      // The broker registers with the controller asynchronously; wait until it serves metadata.
      admin.describeCluster().nodes().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      if (admin != null) {
        admin.close(Duration.ZERO);
      }
      server.shutdown();
      server.awaitShutdown();
      deleteRecursively(logDir);
      throw new IllegalStateException("The embedded Kafka broker did not come up", e);
    }
    LOG.info(
        "Embedded Kafka broker at {}:{} (controller on port {}), started in {} ms, logs in {}",
        HOST,
        brokerPort,
        controllerPort,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
        logDir);
    return new EmbeddedKafkaBroker(logDir, brokerPort, server, admin);
  }

  /** The {@code host:port} clients connect to (the value of {@code bootstrap.servers}). */
  public String bootstrapServers() {
    return HOST + ":" + brokerPort;
  }

  /**
   * Creates a topic with the given number of partitions (one replica each) and waits until every
   * partition has a leader, so producers and consumers can use it right away.
   */
  public void createTopic(String topic, int partitions) {
    createTopic(topic, partitions, Map.of());
  }

  /**
   * Creates a topic with the given number of partitions and topic configs (for example {@code
   * message.timestamp.type=LogAppendTime}) and waits until the broker leads every partition.
   */
  public void createTopic(String topic, int partitions, Map<String, String> configs) {
    try {
      admin
          .createTopics(List.of(new NewTopic(topic, partitions, (short) 1).configs(configs)))
          .all()
          .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      awaitLeaders(topic, partitions);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("Cannot create topic " + topic, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted creating topic " + topic, e);
    }
  }

  private void awaitLeaders(String topic, int partitions)
      throws InterruptedException, ExecutionException, TimeoutException {
    long deadline = System.nanoTime() + ADMIN_TIMEOUT.toNanos();
    while (true) {
      List<TopicPartitionInfo> infos = List.of();
      try {
        Map<String, TopicDescription> described =
            admin
                .describeTopics(List.of(topic))
                .allTopicNames()
                .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        infos = described.get(topic).partitions();
        if (infos.size() == partitions
            && infos.stream().allMatch(p -> p.leader() != null)
            && servesOffsets(topic, partitions)) {
          return;
        }
      } catch (ExecutionException e) {
        // Right after creation the broker may not know the topic yet; anything else is real.
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
          throw e;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("No leader for every partition of " + topic + ": " + infos);
      }
      Thread.sleep(50);
    }
  }

  /**
   * Whether the broker already acts as every partition's leader. The metadata can name it leader
   * before its replica manager took over; a producer that writes in between got
   * NOT_LEADER_OR_FOLLOWER and then retried an appended batch forever (out-of-order sequence).
   * Listing offsets goes through the same leader check as a produce request.
   */
  private boolean servesOffsets(String topic, int partitions)
      throws InterruptedException, TimeoutException, ExecutionException {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (int p = 0; p < partitions; p++) {
      latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
    }
    try {
      admin.listOffsets(latest).all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof NotLeaderOrFollowerException
          || e.getCause() instanceof LeaderNotAvailableException
          || e.getCause() instanceof UnknownTopicOrPartitionException) {
        return false;
      }
      throw e;
    }
  }

  /** An admin client of this broker, owned by it (closed on {@link #close()}); do not close it. */
  public Admin admin() {
    return admin;
  }

  /** Stops the broker and controller and deletes their log directory. */
  @Override
  public void close() {
    admin.close(Duration.ofSeconds(5));
    server.shutdown();
    server.awaitShutdown();
    deleteRecursively(logDir);
    LOG.info("Embedded Kafka broker at {} stopped", bootstrapServers());
  }

  private static Properties brokerProperties(Path logDir, int brokerPort, int controllerPort) {
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", Integer.toString(NODE_ID));
    p.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
    p.put("controller.listener.names", "CONTROLLER");
    p.put(
        "listeners",
        "PLAINTEXT://" + HOST + ":" + brokerPort + ",CONTROLLER://" + HOST + ":" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + brokerPort);
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("log.dirs", logDir.toString());
    // One node: internal topics need a replication factor of 1. One offsets partition keeps the
    // group coordinator's start short.
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "1");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("transaction.state.log.num.partitions", "1");
    p.put("min.insync.replicas", "1");
    // A consumer group's first member should not wait the default 3 s for others.
    p.put("group.initial.rebalance.delay.ms", "0");
    // Topics exist only when created: a typo fails instead of silently reading an empty topic.
    p.put("auto.create.topics.enable", "false");
    // The machine has 2 cores shared with builds: keep the broker's thread pools small.
    p.put("num.network.threads", "2");
    p.put("num.io.threads", "2");
    p.put("background.threads", "2");
    p.put("log.cleaner.enable", "false");
    // No time-based retention. Tests and examples write records with fixed create times, often
    // years in the past (so that their windows and expected results never change); under the
    // default 7 days the broker's first retention check, 30 s after it started, would delete every
    // such record. A consumer then positioned before the new log start (a reader resuming from a
    // checkpointed offset) is reset by auto.offset.reset to the end and silently reads nothing.
    p.put("log.retention.ms", "-1");
    p.put("num.recovery.threads.per.data.dir", "1");
    return p;
  }

  private static Properties adminProperties(String bootstrapServers) {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
    return p;
  }

  /** Writes meta.properties and the bootstrap metadata, as {@code kafka-storage.sh format} does. */
  private static void format(KafkaConfig config, Path logDir) {
    ByteArrayOutputStream formatterOutput = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(formatterOutput, true, StandardCharsets.UTF_8)) {
      new Formatter()
          .setPrintStream(out)
          .setClusterId(Uuid.randomUuid().toString())
          .setNodeId(NODE_ID)
          .setDirectories(List.of(logDir.toString()))
          .setMetadataLogDirectory(config.metadataLogDir())
          .setControllerListenerName("CONTROLLER")
          .setSupportedFeatures(Features.PRODUCTION_FEATURES)
          .setReleaseVersion(MetadataVersion.latestProduction())
          .run();
    } catch (Exception e) {
      deleteRecursively(logDir);
      throw new IllegalStateException("Cannot format the broker's storage in " + logDir, e);
    }
    // The formatter reports to a PrintStream; pass its words on through SLF4J.
    LOG.debug("{}", formatterOutput.toString(StandardCharsets.UTF_8).trim());
  }

  private static int freePort() {
    // The port is released before the broker binds it; another process could take it in between,
    // which on this loopback-only use would fail the start loudly rather than misbehave.
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("No free port on " + HOST, e);
    }
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      List<Path> all = new ArrayList<>(paths.sorted(Comparator.reverseOrder()).toList());
      for (Path path : all) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      LOG.warn("Could not delete {} completely", dir, e);
    }
  }
}
