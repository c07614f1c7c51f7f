package dev.vigil.indexer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import dev.vigil.common.Settings;
import dev.vigil.embedded.kafka.EmbeddedKafka;
import dev.vigil.embedded.opensearch.EmbeddedOpenSearch;

/**
 * Per-test names (topics, indices, group) and helpers for the ITs on the shared embedded broker and node: every test
 * gets its own topics and indices, so tests never see each other's data.
 */
final class IndexerItSupport implements AutoCloseable {

  static final Duration WAIT = Duration.ofSeconds(60);

  final EmbeddedKafka kafka;
  final EmbeddedOpenSearch openSearch;
  final String id = UUID.randomUUID().toString().substring(0, 8);
  final String eventsTopic = "events-" + id;
  final String sessionsTopic = "sessions-" + id;
  final String alertsTopic = "alerts-" + id;
  final String dlqTopic = "dlq-" + id;
  final String prefix = "t" + id + "-events";
  final String sessionsIndex = "t" + id + "-sessions";
  final String alertsIndex = "t" + id + "-alerts";
  private final KafkaProducer<byte[], byte[]> producer;
  private final List<EventIndexer> closeables = new ArrayList<>();

  IndexerItSupport(EmbeddedKafka kafka, EmbeddedOpenSearch openSearch) {
    this.kafka = kafka;
    this.openSearch = openSearch;
    kafka.createTopic(eventsTopic, 2, Map.of());
    kafka.createTopic(sessionsTopic, 2, Map.of("cleanup.policy", "compact"));
    kafka.createTopic(alertsTopic, 2, Map.of());
    kafka.createTopic(dlqTopic, 1, Map.of());
    producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
        ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** The configuration of an indexer on this test's topics and indices, group {@code group}. */
  IndexerConfig config(String group, String... extra) {
    Map<String, String> m = new HashMap<>();
    m.put("vigil.indexer.opensearch.url", openSearch.httpUrl());
    m.put("vigil.indexer.index-prefix", prefix);
    m.put("vigil.indexer.topic", eventsTopic);
    m.put("vigil.indexer.sessions.topic", sessionsTopic);
    m.put("vigil.indexer.sessions.index", sessionsIndex);
    m.put("vigil.indexer.alerts.topic", alertsTopic);
    m.put("vigil.indexer.alerts.index", alertsIndex);
    m.put("vigil.indexer.dlq-topic", dlqTopic);
    m.put("vigil.indexer.poll-timeout", "100ms");
    m.put("vigil.indexer.retry.initial-backoff", "50ms");
    m.put("vigil.indexer.retry.max-backoff", "400ms");
    m.put("vigil.indexer.retry.max-attempts", "3");
    m.put("vigil.indexer.retention.mode", "off");
    m.put("vigil.indexer.kafka.consumer.bootstrap.servers", kafka.bootstrapServers());
    m.put("vigil.indexer.kafka.consumer.group.id", group);
    for (int i = 0; i < extra.length; i += 2) {
      m.put(extra[i], extra[i + 1]);
    }
    return IndexerConfig.from(Settings.of(m));
  }

  /** Starts an indexer (closed with this support) and waits until it is ready. */
  EventIndexer start(IndexerConfig config) throws Exception {
    EventIndexer indexer = EventIndexer.start(config);
    closeables.add(indexer);
    indexer.ready().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    return indexer;
  }

  void produce(String topic, String key, byte[] value) throws Exception {
    producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value)).get();
  }

  /** Waits until {@code condition} holds (an exception counts as "not yet"). */
  static void await(String what, Callable<Boolean> condition) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      try {
        if (Boolean.TRUE.equals(condition.call())) {
          return;
        }
      } catch (Exception e) {
        // not yet
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("Timed out waiting until " + what);
      }
      Thread.sleep(100);
    }
  }

  /** Reads {@code expected} records of the DLQ topic (fewer if they do not come within the wait). */
  List<ConsumerRecord<byte[], byte[]>> readDlq(int expected) {
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
        ConsumerConfig.GROUP_ID_CONFIG, "dlq-reader-" + UUID.randomUUID(),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      c.subscribe(List.of(dlqTopic));
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (out.size() < expected && System.nanoTime() < deadline) {
        c.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out;
  }

  static String header(ConsumerRecord<byte[], byte[]> r, String key) {
    return r.headers().lastHeader(key) == null ? null : new String(r.headers().lastHeader(key).value(), StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
    producer.close();
  }
}
