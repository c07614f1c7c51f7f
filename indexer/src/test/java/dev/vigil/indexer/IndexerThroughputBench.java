package dev.vigil.indexer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch.generic.Body;
import org.opensearch.client.opensearch.generic.Requests;
import org.opensearch.client.opensearch.generic.Response;

import dev.vigil.common.Settings;
import dev.vigil.embedded.kafka.EmbeddedKafka;
import dev.vigil.embedded.opensearch.EmbeddedOpenSearch;
import dev.vigil.indexer.impl.IndexTemplate;
import dev.vigil.schema.Effect;
import dev.vigil.schema.VigilEvent;
import dev.vigil.schema.serde.AvroSerde;
import dev.vigil.schema.serde.VigilSerdes;

/**
 * Events/s through the indexer (consume, decode, map with {@code raw}, bulk write, check every item, commit) into an
 * in-JVM OpenSearch node, against a baseline measured in the same run on the same node: the very same documents,
 * serialized beforehand, sent as {@code _bulk} requests of 500 (the indexer's batch size) by one thread. Not a test (no
 * assertion, not run by CI); run it with {@code mvn -B -o -q test-compile -pl indexer && mvn -B -o -q exec:java -pl
 * indexer -Dexec.mainClass=dev.vigil.indexer.IndexerThroughputBench -Dexec.classpathScope=test
 * [-Dexec.args="100000 200"]} (events, sessions). The machine's noise matters: compare the ratio, not the figures.
 */
public final class IndexerThroughputBench {

  private static final AvroSerde<VigilEvent> EVENTS = VigilSerdes.events();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int BATCH = IndexerConfig.DEFAULT_BATCH_MAX_RECORDS;
  private static final String TOPIC = "events";

  private IndexerThroughputBench() {}

  public static void main(String[] args) throws Exception {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int sessions = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    Path dir = Files.createTempDirectory("vigil-indexer-bench");
    try (EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafka.Options.defaults().withDataDir(dir.resolve("kafka")));
        EmbeddedOpenSearch node = EmbeddedOpenSearch.start(EmbeddedOpenSearch.Options.defaults().withDataDir(dir.resolve("os")))) {
      kafka.createTopic(TOPIC, 2, Map.of());
      kafka.createTopic("dlq", 1, Map.of());
      long t = System.nanoTime();
      produce(kafka.bootstrapServers(), count, sessions);
      System.out.printf("produced %,d events in %d sessions (2 partitions) in %.1f s%n", count, sessions, seconds(t));

      IndexerConfig config = config(kafka, node, "bench-indexer");
      OpenSearchClient os = OpenSearchClients.create(node.httpUrl());
      try {
        List<byte[]> bulks = bulkBodies(kafka.bootstrapServers(), config(kafka, node, "bench-raw"), count);
        IndexTemplate.events(config(kafka, node, "bench-raw")).install(os);
        IndexTemplate.events(config(kafka, node, "bench-warmup")).install(os);
        sendBulks(os, bulks.subList(0, Math.min(10, bulks.size())), "bench-raw", "bench-warmup"); // warm-up, thrown away

        t = System.nanoTime();
        long rawDocs = sendBulks(os, bulks, null, null);
        double rawSeconds = seconds(t);

        EventIndexer indexer = EventIndexer.start(config);
        long indexerSeconds0 = System.nanoTime();
        try {
          indexer.ready().toCompletableFuture().get();
          while (indexer.stats().indexed() + indexer.stats().deadLettered() < count) {
            Thread.sleep(20);
          }
        } finally {
          indexer.close();
        }
        double indexerSeconds = seconds(indexerSeconds0);
        EventIndexer.Stats stats = indexer.stats();

        System.out.printf("raw _bulk (same %,d documents incl. raw, pre-serialized, %d per request, 1 thread): %,.0f docs/s (%.1f s)%n",
            rawDocs, BATCH, rawDocs / rawSeconds, rawSeconds);
        System.out.printf("indexer (consume, decode, map, bulk, item checks, commit; includes start-up): %,.0f docs/s (%.1f s, "
            + "indexed %d, dead-lettered %d, batches %d, retries %d)%n", count / indexerSeconds, indexerSeconds,
            stats.indexed(), stats.deadLettered(), stats.committedBatches(), stats.retries());
        System.out.printf("ratio indexer / raw _bulk: %.2f%n", rawSeconds / indexerSeconds);
      } finally {
        OpenSearchClients.close(os);
      }
    }
  }

  private static IndexerConfig config(EmbeddedKafka kafka, EmbeddedOpenSearch node, String prefix) {
    return IndexerConfig.from(Settings.of(Map.of(
        "vigil.indexer.opensearch.url", node.httpUrl(),
        "vigil.indexer.index-prefix", prefix,
        "vigil.indexer.topic", TOPIC,
        "vigil.indexer.dlq-topic", "dlq",
        "vigil.indexer.sessions.enabled", "false",
        "vigil.indexer.alerts.enabled", "false",
        "vigil.indexer.retention.mode", "off",
        "vigil.indexer.kafka.consumer.bootstrap.servers", kafka.bootstrapServers(),
        "vigil.indexer.kafka.consumer.group.id", "bench")));
  }

  /** A mix per session: requests with small JSON bodies, responses with larger ones, some denials. */
  private static void produce(String bootstrap, int count, int sessions) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
    String list = "{\"kind\":\"PodList\",\"items\":[" + "{\"metadata\":{\"name\":\"web-0\",\"namespace\":\"payments\"}},".repeat(6)
        + "{}]}";
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
      Instant start = Instant.now();
      for (int i = 0; i < count; i++) {
        String session = "agent-" + (i % sessions);
        Instant at = start.plusMillis(i);
        var ref = TestEvents.ref("req-" + i, "GET", "/api/v1/namespaces/payments/pods", TestEvents.k8s("list", "pods", "payments", null));
        var envelope = TestEvents.envelope(session, i, at, TestEvents.identity("agent", "ai-agents"), ref);
        VigilEvent e = switch (i % 4) {
          case 0 -> envelope.setPayload(TestEvents.request("{\"limit\":500}", Effect.ALLOW)).build();
          case 1 -> envelope.setPayload(TestEvents.request(null, Effect.DENY)).build();
          default -> envelope.setPayload(TestEvents.response(200, list, List.of())).build();
        };
        producer.send(new ProducerRecord<>(TOPIC, session, EVENTS.encode(e)));
      }
      producer.flush();
    }
  }

  /** Reads the topic and builds exactly the indexer's bulk bodies (same documents, ids and daily indices) for prefix. */
  private static List<byte[]> bulkBodies(String bootstrap, IndexerConfig config, int count) throws IOException {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
    List<byte[]> bodies = new ArrayList<>();
    ByteArrayOutputStream current = new ByteArrayOutputStream();
    int inCurrent = 0;
    int read = 0;
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = List.of(new TopicPartition(TOPIC, 0), new TopicPartition(TOPIC, 1));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      while (read < count) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          VigilEvent e = EVENTS.decode(r.value());
          Map<String, Object> doc = EventDocuments.toDocument(e, r.value(), config.maxBodyChars(), r.partition(), r.offset());
          Map<String, Object> action = Map.of("index", Map.of("_index",
              EventDocuments.indexName(config.indexPrefix(), e.getTime()), "_id", EventDocuments.documentId(e)));
          current.write(JSON.writeValueAsBytes(action));
          current.write('\n');
          current.write(JSON.writeValueAsBytes(doc));
          current.write('\n');
          read++;
          if (++inCurrent == BATCH) {
            bodies.add(current.toByteArray());
            current = new ByteArrayOutputStream();
            inCurrent = 0;
          }
        }
      }
    }
    if (inCurrent > 0) {
      bodies.add(current.toByteArray());
    }
    return bodies;
  }

  /** POSTs each body to {@code _bulk} (renaming the index prefix if asked) and checks that no item failed. */
  private static long sendBulks(OpenSearchClient os, List<byte[]> bodies, String from, String to) throws IOException {
    long docs = 0;
    for (byte[] body : bodies) {
      byte[] b = from == null ? body
          : new String(body, StandardCharsets.UTF_8).replace("\"" + from + "-", "\"" + to + "-").getBytes(StandardCharsets.UTF_8);
      try (Response r = os.generic().execute(Requests.builder().method("POST").endpoint("/_bulk")
          .body(Body.from(b, "application/x-ndjson")).build())) {
        JsonNode answer = JSON.readTree(r.getBody().orElseThrow().bodyAsString());
        if (r.getStatus() != 200 || answer.path("errors").asBoolean(true)) {
          throw new IllegalStateException("bulk failed: " + r.getStatus());
        }
        docs += answer.path("items").size();
      }
    }
    return docs;
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
