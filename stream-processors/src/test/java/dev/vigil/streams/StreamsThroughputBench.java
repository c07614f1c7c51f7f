package dev.vigil.streams;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
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
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.vigil.common.Settings;
import dev.vigil.embedded.kafka.EmbeddedKafka;
import dev.vigil.schema.Effect;
import dev.vigil.schema.VigilEvent;
import dev.vigil.schema.chain.Ed25519Keys;
import dev.vigil.schema.serde.AvroSerde;
import dev.vigil.schema.serde.VigilSerdes;

/**
 * Events/s through the whole stream-processors topology (decode, dedupe, detectors, sessionizer, exactly_once_v2) on
 * an in-JVM broker, against a baseline measured in the same run: a plain consumer reading and decoding the same
 * events. Not a test (no assertion, not run by CI); run it with
 * {@code mvn -B -o -q test-compile -pl stream-processors && mvn -B -o -q exec:java -pl stream-processors
 * -Dexec.mainClass=dev.vigil.streams.StreamsThroughputBench -Dexec.classpathScope=test [-Dexec.args="200000 200"]}.
 * The machine's noise matters: compare the ratio, not the absolute figures.
 */
public final class StreamsThroughputBench {

  private static final AvroSerde<VigilEvent> EVENTS = VigilSerdes.events();

  private StreamsThroughputBench() {}

  public static void main(String[] args) throws Exception {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int sessions = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    Path dir = Files.createTempDirectory("vigil-streams-bench");
    try (EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafka.Options.defaults().withDataDir(dir.resolve("kafka")))) {
      for (String t : List.of("events", "alerts", "dlq")) {
        kafka.createTopic(t, 2, Map.of());
      }
      kafka.createTopic("sessions", 2, Map.of("cleanup.policy", "compact"));
      long produceStart = System.nanoTime();
      produce(kafka.bootstrapServers(), count, sessions);
      double produceSeconds = seconds(produceStart);

      long baselineStart = System.nanoTime();
      long decoded = consumeAndDecode(kafka.bootstrapServers(), count);
      double baselineSeconds = seconds(baselineStart);

      Map<String, String> m = new HashMap<>();
      Path keyFile = dir.resolve("signing.key.pem");
      Files.writeString(keyFile, Ed25519Keys.toPem(Ed25519Keys.generate().getPrivate()));
      m.put(StreamsSettings.SIGNING_KEY_FILE, keyFile.toString());
      m.put(StreamsSettings.SIGNING_KEY_ID, "bench");
      m.put("vigil.streams.kafka.bootstrap.servers", kafka.bootstrapServers());
      m.put("vigil.streams.kafka.application.id", "vigil-streams-bench");
      m.put("vigil.streams.kafka.state.dir", dir.resolve("state").toString());
      m.put(StreamsSettings.EVENTS_TOPIC, "events");
      m.put(StreamsSettings.SESSIONS_TOPIC, "sessions");
      m.put(StreamsSettings.ALERTS_TOPIC, "alerts");
      m.put(StreamsSettings.DLQ_TOPIC, "dlq");
      StreamsSettings settings = StreamsSettings.from(Settings.of(m));
      long streamsStart = System.nanoTime();
      StreamProcessors sp = StreamProcessors.start(settings);
      double runningSeconds;
      try {
        sp.ready().toCompletableFuture().get(2, TimeUnit.MINUTES);
        runningSeconds = seconds(streamsStart);
        awaitCommitted(kafka.bootstrapServers(), "vigil-streams-bench", "events", count);
      } finally {
        sp.close();
      }
      double streamsSeconds = seconds(streamsStart);
      double processingSeconds = streamsSeconds - runningSeconds;

      System.out.printf("events: %d in %d sessions, 2 partitions, exactly_once_v2 (produced in %.1f s)%n", count,
          sessions, produceSeconds);
      System.out.printf("baseline (consume + decode, %d decoded): %,.0f events/s%n", decoded, count / baselineSeconds);
      System.out.printf("topology (decode, dedupe, detectors, sessionizer) once RUNNING (after %.1f s): %,.0f events/s"
          + " (%,.0f events/s counting start-up)%n", runningSeconds, count / processingSeconds, count / streamsSeconds);
      System.out.printf("ratio topology / baseline: %.2f%n", baselineSeconds / processingSeconds);
    }
  }

  /** A mix per session: gets, their responses, some denies, deletes and execs (so the detectors have work). */
  private static void produce(String bootstrap, int count, int sessions) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
      Instant t = Instant.now();
      for (int i = 0; i < count; i++) {
        String session = "agent-" + (i % sessions);
        Instant at = t.plusMillis(i);
        VigilEvent e = switch (i % 10) {
          case 0, 1, 2, 3 -> TestEvents.get(session, at);
          case 4, 5, 6 -> TestEvents.response(session, at);
          case 7 -> TestEvents.request(session, at, TestEvents.k8s("delete", "configmaps", null, "default"), Effect.ALLOW);
          case 8 -> TestEvents.request(session, at, TestEvents.k8s("get", "secrets", null, "payments"), Effect.DENY);
          default -> TestEvents.request(session, at, TestEvents.k8s("get", "pods", "exec", "payments"), Effect.ALLOW);
        };
        producer.send(new ProducerRecord<>("events", session, EVENTS.encode(e)));
      }
      producer.flush();
    }
  }

  private static long consumeAndDecode(String bootstrap, int count) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
    long decoded = 0;
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = List.of(new TopicPartition("events", 0), new TopicPartition("events", 1));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      while (decoded < count) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          EVENTS.decode(r.value());
          decoded++;
        }
      }
    }
    return decoded;
  }

  /** Waits until the application's committed offsets on {@code topic} add up to {@code count}. */
  private static void awaitCommitted(String bootstrap, String group, String topic, long count) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      Map<TopicPartition, OffsetSpec> latest = Map.of(new TopicPartition(topic, 0), OffsetSpec.latest(),
          new TopicPartition(topic, 1), OffsetSpec.latest());
      long end = 0;
      for (var info : admin.listOffsets(latest).all().get().values()) {
        end += info.offset();
      }
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
      while (System.nanoTime() < deadline) {
        long committed = 0;
        for (OffsetAndMetadata o : admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().values()) {
          committed += o == null ? 0 : o.offset();
        }
        if (committed >= end && end >= count) {
          return;
        }
        Thread.sleep(100);
      }
      throw new IllegalStateException("the topology did not catch up within 10 minutes");
    }
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
