package dev.vigil.streams.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.vertx.core.Vertx;

import dev.vigil.common.Settings;
import dev.vigil.embedded.junit.KafkaExtension;
import dev.vigil.embedded.kafka.EmbeddedKafka;
import dev.vigil.schema.Alert;
import dev.vigil.schema.Severity;
import dev.vigil.schema.serde.VigilSerdes;
import dev.vigil.streams.notify.WebhookReceiver.Reply;

@ExtendWith(KafkaExtension.class)
class AlertNotifierIT {

  private static final Duration WAIT = Duration.ofSeconds(60);

  private static EmbeddedKafka kafka;
  private static Vertx vertx;
  private static KafkaProducer<byte[], byte[]> producer;
  private static Admin admin;

  @TempDir
  Path dir;
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private WebhookReceiver siem;
  private WebhookReceiver slack;
  private String topic;
  private String dlqTopic;
  private String group;

  @BeforeAll
  static void platform(EmbeddedKafka k) {
    kafka = k;
    vertx = Vertx.vertx();
    producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, k.bootstrapServers(), ProducerConfig.ACKS_CONFIG,
        "all"), new ByteArraySerializer(), new ByteArraySerializer());
    admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, k.bootstrapServers()));
  }

  @AfterAll
  static void release() throws Exception {
    producer.close();
    admin.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @BeforeEach
  void topics() throws Exception {
    String id = UUID.randomUUID().toString().substring(0, 8);
    topic = "alerts-" + id;
    dlqTopic = "dlq-" + id;
    group = "vigil-notifier-" + id;
    kafka.createTopic(topic, 2, Map.of());
    kafka.createTopic(dlqTopic, 1, Map.of());
    siem = new WebhookReceiver(vertx);
    slack = new WebhookReceiver(vertx);
    closeables.add(siem);
    closeables.add(slack);
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
  }

  private NotifierSettings settings(String... extra) throws Exception {
    Map<String, String> m = new HashMap<>();
    m.put("vigil.streams.notify.kafka.bootstrap.servers", kafka.bootstrapServers());
    m.put("vigil.streams.notify.kafka.group.id", group);
    m.put("vigil.streams.notify.topic", topic);
    m.put("vigil.streams.notify.dlq-topic", dlqTopic);
    m.put("vigil.streams.notify.initial-backoff", "20ms");
    m.put("vigil.streams.notify.max-backoff", "100ms");
    m.put("vigil.streams.notify.max-attempts", "3");
    m.put("vigil.streams.notify.timeout", "2s");
    m.put("vigil.streams.notify.webhooks.siem.url", siem.url("/ingest/" + TestAlerts.URL_SECRET));
    m.put("vigil.streams.notify.webhooks.siem.secret-file", TestAlerts.secretFile(dir, "siem.secret").toString());
    m.put("vigil.streams.notify.webhooks.ops.url", slack.url("/services/T1/B1/" + TestAlerts.URL_SECRET));
    m.put("vigil.streams.notify.webhooks.ops.format", "slack");
    m.put("vigil.streams.notify.webhooks.ops.min-severity", "MEDIUM");
    for (int i = 0; i < extra.length; i += 2) {
      m.put(extra[i], extra[i + 1]);
    }
    return NotifierSettings.from(Settings.of(m));
  }

  private AlertNotifier start(NotifierSettings settings) throws Exception {
    AlertNotifier notifier = AlertNotifier.start(settings);
    closeables.add(notifier);
    notifier.ready().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    return notifier;
  }

  private void produce(Alert... alerts) throws Exception {
    for (Alert a : alerts) {
      produceRaw(a.getSessionKey(), VigilSerdes.alerts().serializer().serialize(topic, a));
    }
  }

  private void produceRaw(String key, byte[] value) throws Exception {
    producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value)).get(30, TimeUnit.SECONDS);
  }

  private long committed() throws Exception {
    Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
        .get(30, TimeUnit.SECONDS);
    return offsets.values().stream().filter(o -> o != null).mapToLong(OffsetAndMetadata::offset).sum();
  }

  private BooleanSupplier committedIs(long n) {
    return () -> {
      try {
        return committed() == n;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    };
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("Timed out waiting for: " + what);
      }
      Thread.sleep(50);
    }
  }

  private List<ConsumerRecord<byte[], byte[]>> readDlq(int expected) throws InterruptedException {
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
        kafka.bootstrapServers(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new ByteArrayDeserializer(),
        new ByteArrayDeserializer())) {
      c.assign(List.of(new TopicPartition(dlqTopic, 0)));
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (out.size() < expected && System.nanoTime() < deadline) {
        c.poll(Duration.ofMillis(200)).forEach(out::add);
      }
      Thread.sleep(300);
      c.poll(Duration.ofMillis(200)).forEach(out::add);
    }
    return out;
  }

  private static String header(ConsumerRecord<byte[], byte[]> r, String key) {
    return r.headers().lastHeader(key) == null ? null : new String(r.headers().lastHeader(key).value(), StandardCharsets.UTF_8);
  }

  private static boolean signed(WebhookReceiver.Received r) {
    return Signatures.verify(TestAlerts.secret(), r.header(Signatures.TIMESTAMP_HEADER), r.header(Signatures.SIGNATURE_HEADER),
        r.body(), Instant.now().getEpochSecond(), 300);
  }

  @Test
  void shouldDeliverEachAlertOnceCommitAndDeliverNothingAgainAfterARestart() throws Exception {
    Alert a1 = TestAlerts.alert("a-1");
    Alert low = TestAlerts.alert("a-2", "secret-leakage", Severity.LOW, "low");
    Alert a3 = Alert.newBuilder(TestAlerts.alert("a-3", "exec-into-pod", Severity.CRITICAL, "exec")).setSessionKey("other").build();
    produce(a1, low, a1, a3); // a-1 twice: re-emitted with the same id after a Streams restart

    AlertNotifier first = start(settings());

    await("4 records committed", committedIs(4));
    assertThat(siem.received()).extracting(r -> r.header(Signatures.ALERT_ID_HEADER)).containsExactlyInAnyOrder("a-1", "a-2", "a-3");
    assertThat(siem.received()).allSatisfy(r -> assertThat(signed(r)).isTrue());
    assertThat(slack.received()).extracting(r -> r.header(Signatures.ALERT_ID_HEADER)).containsExactlyInAnyOrder("a-1", "a-3");
    NotifierStats stats = first.stats();
    assertThat(stats.delivered()).isEqualTo(5);
    assertThat(stats.duplicatesSkipped()).isEqualTo(2);
    assertThat(stats.filtered()).isEqualTo(1);
    assertThat(stats.gaveUp()).isZero();
    first.close();
    assertThat(first.isRunning()).isFalse();

    AlertNotifier second = start(settings());
    produce(TestAlerts.alert("a-4"));

    await("a-4 delivered to both", () -> siem.receivedFor("a-4").size() == 1 && slack.receivedFor("a-4").size() == 1);
    await("5 records committed", committedIs(5));
    assertThat(siem.received()).as("nothing delivered again").hasSize(4);
    assertThat(slack.received()).hasSize(3);
    assertThat(second.stats().delivered()).isEqualTo(2);
  }

  @Test
  void shouldDeadLetterWhatCouldNotBeDeliveredAndCommit() throws Exception {
    siem.fallback(new Reply(400, Map.of(), "unknown tenant"));
    Alert a1 = TestAlerts.alert("a-1");
    produce(a1);
    produceRaw("k", "not an alert".getBytes(StandardCharsets.UTF_8));

    AlertNotifier notifier = start(settings());

    await("2 records committed", committedIs(2));
    assertThat(slack.receivedFor("a-1")).hasSize(1);
    assertThat(siem.received()).hasSize(1);
    List<ConsumerRecord<byte[], byte[]>> dlq = readDlq(2);
    assertThat(dlq).hasSize(2);
    ConsumerRecord<byte[], byte[]> rejected = dlq.stream().filter(r -> "a-1".equals(header(r, "vigil.dlq.alert-id"))).findFirst()
        .orElseThrow();
    assertThat(header(rejected, "vigil.dlq.reason-code")).isEqualTo("rejected");
    assertThat(header(rejected, "vigil.dlq.reason")).contains("400").contains("unknown tenant").doesNotContain(TestAlerts.URL_SECRET);
    assertThat(header(rejected, "vigil.dlq.webhook")).isEqualTo("siem");
    assertThat(header(rejected, "vigil.dlq.component")).isEqualTo("vigil-notifier");
    assertThat(header(rejected, "vigil.dlq.topic")).isEqualTo(topic);
    assertThat(VigilSerdes.alerts().deserializer().deserialize(dlqTopic, rejected.value())).isEqualTo(a1);
    assertThat(dlq).anySatisfy(r -> assertThat(header(r, "vigil.dlq.reason-code")).isEqualTo("undecodable"));
    assertThat(notifier.stats().gaveUp()).isEqualTo(2);
    assertThat(notifier.stats().deadLettered()).isEqualTo(2);
  }

  @Test
  void shouldNotCommitWhileAWebhookIsRetryingAndCloseWithinSeconds() throws Exception {
    siem.fallback(Reply.of(503));
    produce(TestAlerts.alert("a-1"));
    AlertNotifier first = start(settings("vigil.streams.notify.max-attempts", "100", "vigil.streams.notify.max-backoff", "10s",
        "vigil.streams.notify.initial-backoff", "5s"));
    await("a first attempt", () -> siem.received().size() >= 1 && slack.received().size() == 1);
    Thread.sleep(500);
    assertThat(committed()).isZero();

    long started = System.nanoTime();
    first.close();

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    first.terminated().toCompletableFuture().get(1, TimeUnit.SECONDS);
    assertThat(committed()).isZero();

    siem.fallback(Reply.of(200));
    start(settings());
    await("1 record committed", committedIs(1));
    assertThat(siem.received().get(siem.received().size() - 1).header(Signatures.ALERT_ID_HEADER)).isEqualTo("a-1");
    assertThat(slack.receivedFor("a-1")).as("at least once: the restarted notifier does not know it was delivered").hasSize(2);
  }

  @Test
  void shouldRefuseToStartWithoutTheDeadLetterTopic() throws Exception {
    AlertNotifier notifier = AlertNotifier.start(settings("vigil.streams.notify.dlq-topic", "missing-" + topic));
    closeables.add(notifier);

    assertThatThrownBy(() -> notifier.ready().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class).hasMessageContaining("missing-" + topic).hasMessageContaining("does not exist");
    assertThatThrownBy(() -> notifier.terminated().toCompletableFuture().get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class);
  }
}
