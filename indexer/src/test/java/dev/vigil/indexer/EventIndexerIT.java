package dev.vigil.indexer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.node.ObjectNode;

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
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch._types.FieldValue;
import org.opensearch.client.opensearch.core.GetResponse;
import org.opensearch.client.opensearch.core.SearchResponse;
import org.opensearch.client.opensearch.generic.Requests;
import org.opensearch.client.opensearch.generic.Response;

import dev.vigil.common.Settings;
import dev.vigil.embedded.junit.KafkaExtension;
import dev.vigil.embedded.junit.OpenSearchExtension;
import dev.vigil.embedded.kafka.EmbeddedKafka;
import dev.vigil.embedded.opensearch.EmbeddedOpenSearch;
import dev.vigil.schema.Finding;
import dev.vigil.schema.VigilEvent;
import dev.vigil.schema.serde.AvroSerde;
import dev.vigil.schema.serde.VigilSerdes;

@ExtendWith({KafkaExtension.class, OpenSearchExtension.class})
class EventIndexerIT {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final AvroSerde<VigilEvent> SERDE = VigilSerdes.events();

  private static EmbeddedKafka kafka;
  private static EmbeddedOpenSearch openSearch;
  private static OpenSearchClient os;
  private static KafkaProducer<byte[], byte[]> producer;
  private static Admin admin;

  private final List<AutoCloseable> closeables = new ArrayList<>();
  private String id;
  private String topic;
  private String dlqTopic;
  private String prefix;
  private String group;

  @BeforeAll
  static void platform(EmbeddedKafka k, EmbeddedOpenSearch o) {
    kafka = k;
    openSearch = o;
    os = OpenSearchClients.create(o.httpUrl());
    producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, k.bootstrapServers(),
        ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer());
    admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, k.bootstrapServers()));
  }

  @AfterAll
  static void release() {
    producer.close();
    admin.close();
    OpenSearchClients.close(os);
  }

  @BeforeEach
  void names() {
    id = UUID.randomUUID().toString().substring(0, 8);
    topic = "events-" + id;
    dlqTopic = "dlq-" + id;
    prefix = "t" + id + "-events";
    group = "indexer-" + id;
    kafka.createTopic(topic, 2, Map.of());
    kafka.createTopic(dlqTopic, 1, Map.of());
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
  }

  private IndexerConfig config(String openSearchUrl, String... extra) {
    Map<String, String> m = new HashMap<>();
    m.put("vigil.indexer.opensearch.url", openSearchUrl);
    m.put("vigil.indexer.index-prefix", prefix);
    m.put("vigil.indexer.topic", topic);
    m.put("vigil.indexer.dlq-topic", dlqTopic);
    m.put("vigil.indexer.poll-timeout", "100ms");
    m.put("vigil.indexer.retry.initial-backoff", "50ms");
    m.put("vigil.indexer.retry.max-backoff", "400ms");
    m.put("vigil.indexer.retry.max-attempts", "3");
    m.put("vigil.indexer.kafka.consumer.bootstrap.servers", kafka.bootstrapServers());
    m.put("vigil.indexer.kafka.consumer.group.id", group);
    // events only here (SessionAlertIndexerIT covers the other topics); no retention: the events are from 2025 and
    // the mapping-conflict test pre-creates a 2001 index that the deletion task would remove (RetentionIT covers it)
    m.put("vigil.indexer.sessions.enabled", "false");
    m.put("vigil.indexer.alerts.enabled", "false");
    m.put("vigil.indexer.retention.mode", "off");
    for (int i = 0; i < extra.length; i += 2) {
      m.put(extra[i], extra[i + 1]);
    }
    return IndexerConfig.from(Settings.of(m));
  }

  private EventIndexer start(IndexerConfig config) throws Exception {
    EventIndexer indexer = EventIndexer.start(config);
    closeables.add(indexer);
    indexer.ready().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    return indexer;
  }

  private void produce(VigilEvent... events) throws Exception {
    for (VigilEvent e : events) {
      producer.send(new ProducerRecord<>(topic, e.getSessionKey().getBytes(StandardCharsets.UTF_8), SERDE.encode(e))).get();
    }
  }

  private void produceRaw(String key, byte[] value) throws Exception {
    producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value)).get();
  }

  private long count() throws Exception {
    os.indices().refresh(r -> r.index(prefix + "-*").ignoreUnavailable(true).allowNoIndices(true));
    return os.count(c -> c.index(prefix + "-*").ignoreUnavailable(true).allowNoIndices(true)).count();
  }

  private long committed() throws Exception {
    Map<TopicPartition, OffsetAndMetadata> offsets =
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
    return offsets.values().stream().filter(o -> o != null).mapToLong(OffsetAndMetadata::offset).sum();
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("Timed out waiting until " + what);
      }
      Thread.sleep(100);
    }
  }

  private BooleanSupplier countIs(long n) {
    return () -> {
      try {
        return count() == n;
      } catch (Exception e) {
        return false;
      }
    };
  }

  private BooleanSupplier committedIs(long n) {
    return () -> {
      try {
        return committed() == n;
      } catch (Exception e) {
        return false;
      }
    };
  }

  private List<ConsumerRecord<byte[], byte[]>> readDlq(int expected) throws InterruptedException {
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

  private static String header(ConsumerRecord<byte[], byte[]> r, String key) {
    return r.headers().lastHeader(key) == null ? null : new String(r.headers().lastHeader(key).value(), StandardCharsets.UTF_8);
  }

  // --------------------------------------------------------------------------------------------------------------

  @Test
  void shouldIndexEveryKindOfEventSoSearchFindsThem() throws Exception {
    Finding finding = Finding.newBuilder().setKind("k8s-secret").setLocation("data.password").setFingerprint("fp1").build();
    var ref = TestEvents.ref("req-1", "GET", "/api/v1/namespaces/prod/secrets/db", TestEvents.k8s("get", "secrets", "prod", "db"));
    var who = TestEvents.identity("alice", "dev", "sre");
    Instant t = TestEvents.T0;
    VigilEvent request = TestEvents.envelope("s-" + id, 1, t, who, ref).setPayload(TestEvents.request(null, dev.vigil.schema.Effect.ALLOW)).build();
    VigilEvent response = TestEvents.envelope("s-" + id, 2, t.plusMillis(5), who, ref)
        .setPayload(TestEvents.response(200, "{\"data\":{\"password\":\"masked:k8s-secret:fp1\"},\"note\":\"quarterly rotation\"}", List.of(finding)))
        .build();
    VigilEvent frame = TestEvents.envelope("s-" + id, 3, t.plusMillis(6), who, ref).setPayload(TestEvents.frame(0, "{\"type\":\"ADDED\"}")).build();
    VigilEvent error = TestEvents.envelope("s-" + id, 4, t.plusMillis(7), who, ref).setPayload(TestEvents.error()).build();
    VigilEvent gap = TestEvents.envelope("s-" + id, 5, t.plusMillis(8), who, ref).setPayload(TestEvents.gap("req-1", "req-9")).build();
    produce(request, response, frame, error, gap);

    EventIndexer indexer = start(config(openSearch.httpUrl()));

    await("5 documents are searchable", countIs(5));
    await("the offsets of all 5 records are committed", committedIs(5));
    assertThat(indexer.stats().indexed()).isEqualTo(5);
    assertThat(indexer.stats().deadLettered()).isZero();

    GetResponse<ObjectNode> doc = os.get(g -> g.index(prefix + "-2025.03.01").id(response.getEventId()), ObjectNode.class);
    assertThat(doc.found()).isTrue();
    assertThat(doc.source().get("type").asText()).isEqualTo("response");
    assertThat(doc.source().at("/k8s/namespace").asText()).isEqualTo("prod");
    assertThat(doc.source().at("/identity/groups").toString()).isEqualTo("[\"dev\",\"sre\"]");
    assertThat(doc.source().at("/identity/authenticated").asBoolean()).isTrue();
    assertThat(doc.source().at("/kafka/offset").asLong()).as("request, response, frame, error in one partition").isEqualTo(1);
    assertThat(doc.source().at("/kafka/partition").isInt()).isTrue();

    SearchResponse<ObjectNode> nested = os.search(s -> s.index(prefix + "-*").query(q -> q.nested(n -> n.path("findings")
        .query(nq -> nq.term(tq -> tq.field("findings.kind").value(FieldValue.of("k8s-secret")))))), ObjectNode.class);
    assertThat(nested.hits().hits()).extracting(h -> h.id()).containsExactly(response.getEventId());

    SearchResponse<ObjectNode> fullText = os.search(s -> s.index(prefix + "-*")
        .query(q -> q.match(m -> m.field("body.content").query(FieldValue.of("quarterly")))), ObjectNode.class);
    assertThat(fullText.hits().hits()).hasSize(1);

    SearchResponse<ObjectNode> byGroup = os.search(s -> s.index(prefix + "-*")
        .query(q -> q.term(tq -> tq.field("identity.groups").value(FieldValue.of("sre")))), ObjectNode.class);
    assertThat(byGroup.hits().total().value()).isEqualTo(5);

    // An analyst finds the session's gaps, and the gap naming a lost call by its request id.
    SearchResponse<ObjectNode> gaps = os.search(s -> s.index(prefix + "-*").query(q -> q.bool(b -> b
        .filter(f -> f.term(tq -> tq.field("type").value(FieldValue.of("gap"))))
        .filter(f -> f.term(tq -> tq.field("sessionKey").value(FieldValue.of("s-" + id))))
        .filter(f -> f.range(r -> r.field("gap.requestsLost").gte(org.opensearch.client.json.JsonData.of(1)))))),
        ObjectNode.class);
    assertThat(gaps.hits().hits()).extracting(h -> h.id()).containsExactly(gap.getEventId());
    assertThat(gaps.hits().hits().get(0).source().at("/gap/eventsLost").asLong()).isEqualTo(5);
    SearchResponse<ObjectNode> byLostId = os.search(s -> s.index(prefix + "-*")
        .query(q -> q.term(tq -> tq.field("gap.lostRequestIds").value(FieldValue.of("req-9")))), ObjectNode.class);
    assertThat(byLostId.hits().hits()).extracting(h -> h.id()).containsExactly(gap.getEventId());

    try (Response mapping = os.generic().execute(Requests.builder().method("GET").endpoint("/" + prefix + "-2025.03.01/_mapping").build())) {
      String json = mapping.getBody().orElseThrow().bodyAsString();
      assertThat(json).contains("\"findings\":{\"type\":\"nested\"").contains("\"dynamic\":\"false\"");
    }
  }

  @Test
  void shouldKeepOneDocumentWhenTheSameEventArrivesTwice() throws Exception {
    VigilEvent e = TestEvents.simple("s-" + id, 1, TestEvents.T0, "bob", "list", "pods", "default", null, null);
    produce(e, e);

    EventIndexer indexer = start(config(openSearch.httpUrl()));

    await("both records are committed", committedIs(2));
    assertThat(indexer.stats().indexed()).isEqualTo(2);
    assertThat(count()).isEqualTo(1);
  }

  @Test
  void shouldDeadLetterUnindexableAndUndecodableRecordsAndIndexTheRest() throws Exception {
    // an index whose mapping conflicts with the document contract: sequence is boolean there
    try (Response r = os.generic().execute(Requests.builder().method("PUT").endpoint("/" + prefix + "-2001.01.01")
        .json("{\"mappings\":{\"properties\":{\"sequence\":{\"type\":\"boolean\"}}}}").build())) {
      assertThat(r.getStatus()).isEqualTo(200);
    }
    VigilEvent good1 = TestEvents.simple("s-" + id, 1, TestEvents.T0, "carol", "get", "pods", "default", "a", null);
    VigilEvent unmappable = TestEvents.simple("s-" + id, 2, Instant.parse("2001-01-01T10:00:00Z"), "carol", "get", "pods", "default", "b", null);
    VigilEvent good2 = TestEvents.simple("s-" + id, 3, TestEvents.T0.plusSeconds(1), "carol", "get", "pods", "default", "c", null);
    byte[] garbage = "this is not avro".getBytes(StandardCharsets.UTF_8);
    produce(good1);
    produce(unmappable);
    produceRaw("s-" + id, garbage);
    produceRaw("s-" + id, null);
    produce(good2);

    EventIndexer indexer = start(config(openSearch.httpUrl()));

    await("the 5 records are committed", committedIs(5));
    assertThat(count()).isEqualTo(2);
    assertThat(indexer.stats().deadLettered()).isEqualTo(3);
    List<ConsumerRecord<byte[], byte[]>> dlq = readDlq(3);
    assertThat(dlq).hasSize(3);
    Map<String, ConsumerRecord<byte[], byte[]>> byCode = new HashMap<>();
    dlq.forEach(r -> byCode.put(header(r, "vigil.dlq.reason-code"), r));
    assertThat(byCode).containsOnlyKeys("rejected", "undecodable", "null-value");

    ConsumerRecord<byte[], byte[]> rejected = byCode.get("rejected");
    assertThat(rejected.value()).isEqualTo(SERDE.encode(unmappable));
    assertThat(header(rejected, "vigil.dlq.reason")).startsWith("rejected: 400 ").contains("sequence");
    assertThat(header(rejected, "vigil.dlq.topic")).isEqualTo(topic);
    assertThat(header(rejected, "vigil.dlq.event-id")).isEqualTo(unmappable.getEventId());
    assertThat(header(rejected, "vigil.dlq.partition")).isNotNull();
    assertThat(header(rejected, "vigil.dlq.offset")).isNotNull();

    ConsumerRecord<byte[], byte[]> undecodable = byCode.get("undecodable");
    assertThat(undecodable.value()).isEqualTo(garbage);
    assertThat(undecodable.key()).isEqualTo(("s-" + id).getBytes(StandardCharsets.UTF_8));
    assertThat(byCode.get("null-value").value()).isNull();
  }

  @Test
  void shouldCommitOnlyAfterWritingSoARestartNeitherLosesNorReindexes() throws Exception {
    for (int i = 1; i <= 5; i++) {
      produce(TestEvents.simple("s-" + id, i, TestEvents.T0.plusSeconds(i), "dave", "get", "pods", "default", "p" + i, null));
    }
    EventIndexer first = start(config(openSearch.httpUrl()));
    await("5 records committed", committedIs(5));
    assertThat(first.stats().indexed()).isEqualTo(5);
    first.close();
    assertThat(first.isRunning()).isFalse();

    for (int i = 6; i <= 8; i++) {
      produce(TestEvents.simple("s-" + id, i, TestEvents.T0.plusSeconds(i), "dave", "get", "pods", "default", "p" + i, null));
    }
    EventIndexer second = start(config(openSearch.httpUrl()));
    await("8 documents", countIs(8));
    await("8 records committed", committedIs(8));
    Thread.sleep(500);
    assertThat(second.stats().indexed()).as("only the new records are written again").isEqualTo(3);
  }

  @Test
  void shouldRetryWithoutCommittingWhileOpenSearchFailsThenCatchUp() throws Exception {
    FaultyOpenSearchProxy proxy = new FaultyOpenSearchProxy(openSearch.httpUrl());
    closeables.add(proxy);
    proxy.fail(FaultyOpenSearchProxy.Mode.BULK_UNAVAILABLE);
    for (int i = 1; i <= 3; i++) {
      produce(TestEvents.simple("s-" + id, i, TestEvents.T0.plusSeconds(i), "erin", "get", "pods", "default", "p" + i, null));
    }

    EventIndexer indexer = start(config(proxy.url()));

    await("bulk requests failed a few times", () -> proxy.bulkFaults() >= 3);
    assertThat(count()).isZero();
    assertThat(committed()).as("nothing committed while OpenSearch fails").isZero();
    assertThat(indexer.stats().retries()).isGreaterThanOrEqualTo(3);

    proxy.pass();
    await("3 documents", countIs(3));
    await("3 records committed", committedIs(3));
    assertThat(indexer.stats().deadLettered()).isZero();
  }

  @Test
  void shouldRetryRejectedItemsAndDeadLetterThemWhenRetriesRunOut() throws Exception {
    FaultyOpenSearchProxy proxy = new FaultyOpenSearchProxy(openSearch.httpUrl());
    closeables.add(proxy);
    proxy.fail(FaultyOpenSearchProxy.Mode.BULK_ITEMS_TOO_MANY_REQUESTS, 2);
    produce(TestEvents.simple("s-" + id, 1, TestEvents.T0, "frank", "get", "pods", "default", "p1", null),
        TestEvents.simple("s-" + id, 2, TestEvents.T0, "frank", "get", "pods", "default", "p2", null));

    EventIndexer indexer = start(config(proxy.url()));

    await("2 documents after two rejected attempts", countIs(2));
    await("2 records committed", committedIs(2));
    assertThat(proxy.bulkFaults()).isEqualTo(2);
    assertThat(indexer.stats().retries()).isGreaterThanOrEqualTo(2);

    // now OpenSearch keeps rejecting: after max-attempts (3) the record goes to the DLQ and is committed
    proxy.fail(FaultyOpenSearchProxy.Mode.BULK_ITEMS_TOO_MANY_REQUESTS);
    VigilEvent unlucky = TestEvents.simple("s-" + id, 3, TestEvents.T0, "frank", "get", "pods", "default", "p3", null);
    produce(unlucky);
    await("3 records committed", committedIs(3));
    List<ConsumerRecord<byte[], byte[]>> dlq = readDlq(1);
    assertThat(dlq).hasSize(1);
    assertThat(header(dlq.get(0), "vigil.dlq.reason-code")).isEqualTo("retries-exhausted");
    assertThat(header(dlq.get(0), "vigil.dlq.reason")).contains("429").contains("es_rejected_execution_exception");
    assertThat(header(dlq.get(0), "vigil.dlq.event-id")).isEqualTo(unlucky.getEventId());
    assertThat(count()).isEqualTo(2);
  }

  @Test
  void shouldStopAtARecordWithAnUnknownWriterSchemaWithoutDeadLetteringIt() throws Exception {
    VigilEvent before = TestEvents.simple("s-" + id, 1, TestEvents.T0, "hank", "get", "pods", "default", "p1", null);
    VigilEvent newer = TestEvents.simple("s-" + id, 2, TestEvents.T0, "hank", "get", "pods", "default", "p2", null);
    VigilEvent after = TestEvents.simple("s-" + id, 3, TestEvents.T0, "hank", "get", "pods", "default", "p3", null);
    byte[] fromNewerProxy = SERDE.encode(newer);
    for (int i = 2; i < 10; i++) {
      fromNewerProxy[i] ^= (byte) 0x5A; // a schema fingerprint this build does not know
    }
    produce(before);
    produceRaw("s-" + id, fromNewerProxy);
    produce(after);

    EventIndexer indexer = start(config(openSearch.httpUrl()));

    await("the partition is blocked", () -> !indexer.stats().blockedPartitions().isEmpty());
    await("the record before it is committed", committedIs(1));
    assertThat(indexer.stats().blockedPartitions()).singleElement().asString().startsWith(topic + "-").endsWith("@1");
    Thread.sleep(500);
    assertThat(committed()).as("nothing past the unknown record").isEqualTo(1);
    assertThat(count()).isEqualTo(1);
    assertThat(indexer.stats().deadLettered()).isZero();
    assertThat(indexer.isRunning()).isTrue();
  }

  @Test
  void shouldRefuseToStartWhenTheDlqTopicIsMissing() {
    EventIndexer indexer = EventIndexer.start(config(openSearch.httpUrl(), "vigil.indexer.dlq-topic", "missing-" + id));
    closeables.add(indexer);

    assertThatThrownBy(() -> indexer.ready().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS))
        .hasMessageContaining("missing-" + id).hasMessageContaining("does not exist");
    assertThatThrownBy(() -> indexer.terminated().toCompletableFuture().get(10, TimeUnit.SECONDS))
        .isInstanceOf(java.util.concurrent.ExecutionException.class);
  }

  @Test
  void shouldCloseWithinAFewSecondsEvenWhileRetrying() throws Exception {
    FaultyOpenSearchProxy proxy = new FaultyOpenSearchProxy(openSearch.httpUrl());
    closeables.add(proxy);
    proxy.fail(FaultyOpenSearchProxy.Mode.BULK_UNAVAILABLE);
    produce(TestEvents.simple("s-" + id, 1, TestEvents.T0, "gina", "get", "pods", "default", "p1", null));
    EventIndexer indexer = start(config(proxy.url(), "vigil.indexer.retry.max-backoff", "30s",
        "vigil.indexer.retry.initial-backoff", "10s"));
    await("a bulk request failed", () -> proxy.bulkFaults() >= 1);

    long started = System.nanoTime();
    indexer.close();
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    assertThat(took).isLessThan(Duration.ofSeconds(5));
    assertThat(indexer.isRunning()).isFalse();
    indexer.terminated().toCompletableFuture().get(1, TimeUnit.SECONDS); // a close is a normal end
    assertThat(committed()).isZero();
  }
}
