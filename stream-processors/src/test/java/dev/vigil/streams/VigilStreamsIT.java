package dev.vigil.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.vigil.common.Settings;
import dev.vigil.embedded.junit.KafkaExtension;
import dev.vigil.embedded.kafka.EmbeddedKafka;
import dev.vigil.schema.SessionStatus;
import dev.vigil.schema.SessionSummary;
import dev.vigil.schema.VigilEvent;
import dev.vigil.schema.chain.Ed25519Keys;
import dev.vigil.schema.chain.SessionVerifier;
import dev.vigil.schema.serde.VigilSerdes;

/** The real topology as the service runs it, exactly_once_v2, on the embedded broker. */
@ExtendWith(KafkaExtension.class)
class VigilStreamsIT {

  private static final Duration WAIT = Duration.ofSeconds(90);

  @TempDir
  Path dir;

  /** Topics named after {@code id} (all four created unless {@code create} is false) and short session limits. */
  private StreamsSettings settings(EmbeddedKafka kafka, String id, KeyPair keys, boolean create) throws Exception {
    if (create) {
      kafka.createTopic("events-" + id, 2, Map.of());
      kafka.createTopic("sessions-" + id, 2, Map.of("cleanup.policy", "compact"));
      kafka.createTopic("alerts-" + id, 2, Map.of());
      kafka.createTopic("dlq-" + id, 1, Map.of());
    }
    return StreamsSettings.from(Settings.of(StreamsFixture.settingsMap(dir, keys,
        "vigil.streams.kafka.bootstrap.servers", kafka.bootstrapServers(),
        "vigil.streams.kafka.application.id", "vigil-streams-it-" + id,
        "vigil.streams.events-topic", "events-" + id, "vigil.streams.sessions-topic", "sessions-" + id,
        "vigil.streams.alerts-topic", "alerts-" + id, "vigil.streams.dlq-topic", "dlq-" + id,
        "vigil.streams.session.inactivity-gap", "2s", "vigil.streams.session.grace", "0s",
        "vigil.streams.session.update-interval", "200ms", "vigil.streams.topic-check-timeout", "20s")));
  }

  @Test
  void shouldPublishASignedSessionAndDeadLetterAPoisonRecord(EmbeddedKafka kafka) throws Exception {
    String id = UUID.randomUUID().toString().substring(0, 8);
    String events = "events-" + id;
    String sessions = "sessions-" + id;
    String dlq = "dlq-" + id;
    KeyPair keys = Ed25519Keys.generate();
    StreamsSettings settings = settings(kafka, id, keys, true);
    assertThat(VigilStreams.streamsConfig(settings)).containsEntry("processing.guarantee", "exactly_once_v2");

    try (StreamProcessors sp = StreamProcessors.start(settings)) {
      sp.ready().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(sp.state()).isEqualTo(KafkaStreams.State.RUNNING);

      Instant now = Instant.now();
      VigilEvent e1 = TestEvents.get("agent-1", now);
      VigilEvent e2 = TestEvents.response("agent-1", now.plusMillis(5));
      VigilEvent e3 = TestEvents.get("agent-1", now.plusMillis(10));
      List<byte[]> values = new ArrayList<>();
      try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
          ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
          new StringSerializer(), new ByteArraySerializer())) {
        for (VigilEvent e : List.of(e1, e2, e3)) {
          byte[] v = VigilSerdes.events().encode(e);
          values.add(v);
          producer.send(new ProducerRecord<>(events, e.getSessionKey(), v)).get();
          if (e == e1) {
            producer.send(new ProducerRecord<>(events, "agent-1", "poison".getBytes(StandardCharsets.UTF_8))).get();
            producer.send(new ProducerRecord<>(events, e1.getSessionKey(), v)).get(); // a duplicate
          }
        }
      }

      String sessionId = "agent-1#" + e1.getEventId();
      ConsumerRecord<String, byte[]> closed = await(kafka.bootstrapServers(), sessions, r -> r.key().equals(sessionId)
          && VigilSerdes.sessions().decode(r.value()).getStatus() == SessionStatus.CLOSED);
      SessionSummary summary = VigilSerdes.sessions().decode(closed.value());
      assertThat(summary.getEventCount()).isEqualTo(3);
      assertThat(summary.getDuplicatesSkipped()).isEqualTo(1);
      assertThat(summary.getCountsByVerb()).containsEntry("get", 2L);
      assertThat(summary.getSigningKeyId()).isEqualTo(StreamsFixture.KEY_ID);
      assertThat(SessionVerifier.verify(summary, values, keys.getPublic()).problems()).isEmpty();

      ConsumerRecord<String, byte[]> dead = await(kafka.bootstrapServers(), dlq, r -> true);
      assertThat(dead.key()).isEqualTo("agent-1");
      assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo("poison");
      assertThat(new String(dead.headers().lastHeader(DeadLetterHeaders.REASON_CODE).value(), StandardCharsets.UTF_8))
          .isEqualTo("undecodable");
      assertThat(new String(dead.headers().lastHeader(DeadLetterHeaders.SOURCE_TOPIC).value(), StandardCharsets.UTF_8))
          .isEqualTo(events);
    }
  }

  @Test
  void shouldRefuseToStartWithoutItsTopics(EmbeddedKafka kafka) throws Exception {
    String id = UUID.randomUUID().toString().substring(0, 8);
    kafka.createTopic("events-" + id, 1, Map.of());
    StreamsSettings settings = settings(kafka, id, Ed25519Keys.generate(), false);
    assertThatThrownBy(() -> StreamProcessors.start(settings)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("sessions-" + id + " (vigil.streams.sessions-topic)")
        .hasMessageContaining("alerts-" + id + " (vigil.streams.alerts-topic)")
        .hasMessageContaining("dlq-" + id + " (vigil.streams.dlq-topic)")
        .hasMessageNotContaining("events-" + id + " (");
  }

  @Test
  void shouldShutDownAndFailTerminatedWhenAStreamThreadFails(EmbeddedKafka kafka) throws Exception {
    String id = UUID.randomUUID().toString().substring(0, 8);
    StreamsSettings settings = settings(kafka, id, Ed25519Keys.generate(), true);
    try (StreamProcessors sp = StreamProcessors.start(settings)) {
      sp.ready().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
      byte[] unknownSchema = VigilSerdes.events().encode(TestEvents.get("agent-1", Instant.now()));
      for (int i = 2; i < 10; i++) {
        unknownSchema[i] = (byte) ~unknownSchema[i]; // a fingerprint no published schema has: a newer gateway
      }
      try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
          ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()), new StringSerializer(),
          new ByteArraySerializer())) {
        producer.send(new ProducerRecord<>("events-" + id, "agent-1", unknownSchema)).get();
      }
      assertThatThrownBy(() -> sp.terminated().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasStackTraceContaining("Unknown VigilEvent writer schema at events-" + id);
      assertThat(sp.state()).isEqualTo(KafkaStreams.State.ERROR);
    }
  }

  /** Reads {@code topic} (read_committed) from the start until a record matches. */
  private static ConsumerRecord<String, byte[]> await(String bootstrap, String topic,
      Predicate<ConsumerRecord<String, byte[]>> match) {
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID(),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (match.test(r)) {
            return r;
          }
        }
      }
    }
    throw new AssertionError("no matching record on " + topic + " within " + WAIT);
  }
}
