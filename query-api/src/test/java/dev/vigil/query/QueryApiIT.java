package dev.vigil.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.vigil.common.Settings;
import dev.vigil.embedded.junit.KafkaExtension;
import dev.vigil.embedded.junit.OpenSearchExtension;
import dev.vigil.embedded.kafka.EmbeddedKafka;
import dev.vigil.embedded.oidc.DevOidcIssuer;
import dev.vigil.embedded.opensearch.EmbeddedOpenSearch;
import dev.vigil.indexer.EventIndexer;
import dev.vigil.indexer.IndexerConfig;
import dev.vigil.schema.Effect;
import dev.vigil.schema.VigilEvent;
import dev.vigil.schema.serde.VigilSerdes;

/** The whole read path: events produced to Kafka → indexer → OpenSearch → query API, with real OIDC tokens. */
@ExtendWith({KafkaExtension.class, OpenSearchExtension.class})
class QueryApiIT {

  /** Session keys come from a caller-chosen header: any characters, including a slash. */
  private static final String ALICE = "alice@corp/s 1";
  private static final Instant T0 = Instant.parse("2025-05-05T10:00:00Z");

  private static Vertx vertx;
  private static DevOidcIssuer issuer;
  private static EventIndexer indexer;
  private static QueryApi api;
  private static Http http;
  private static String analyst;
  private static String prefix;
  private static EmbeddedOpenSearch openSearch;
  private static final List<VigilEvent> EVENTS = new ArrayList<>();

  @BeforeAll
  static void start(EmbeddedKafka kafka, EmbeddedOpenSearch os) throws Exception {
    openSearch = os;
    String id = UUID.randomUUID().toString().substring(0, 8);
    String topic = "events-" + id;
    prefix = "q" + id + "-events";
    kafka.createTopic(topic, 3, Map.of());
    kafka.createTopic("dlq-" + id, 1, Map.of());

    // alice's session, recorded by two gateway instances (each counts its own sequence): the produce (offset) order is
    // the session order; sequence order and time order both differ from it on purpose
    EVENTS.add(TestEvents.request(ALICE, 7, T0.plusSeconds(30), "alice", "get", "secrets", "prod", "db-creds",
        "{\"note\":\"quarterly rotation of the database password\"}", Effect.ALLOW));
    EVENTS.add(TestEvents.request(ALICE, 1, T0.plusSeconds(10), "alice", "list", "pods", "prod", null, null, Effect.ALLOW));
    EVENTS.add(TestEvents.request(ALICE, 8, T0.plusSeconds(20), "alice", "delete", "pods", "prod", "web-1", null, Effect.DENY));
    EVENTS.add(TestEvents.response(ALICE, 2, T0.plusSeconds(31), "alice", "get", "secrets", "prod", "db-creds", 200,
        "{\"kind\":\"Secret\",\"data\":{\"password\":\"masked:k8s-secret:ab12\"}}"));
    EVENTS.get(1).setGatewayId("gw-2");
    EVENTS.get(3).setGatewayId("gw-2");
    // bob, another session, another namespace, another day
    EVENTS.add(TestEvents.request("bob-s", 1, T0.plus(Duration.ofDays(1)), "bob", "get", "configmaps", "dev", "settings",
        "{\"feature\":\"rotation schedule\"}", Effect.ALLOW));
    EVENTS.add(TestEvents.request("bob-s", 2, T0.plus(Duration.ofDays(1)).plusSeconds(1), "bob", "list", "pods", "dev", null,
        null, Effect.ALLOW));

    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()), new ByteArraySerializer(), new ByteArraySerializer())) {
      for (VigilEvent e : EVENTS) {
        producer.send(new ProducerRecord<>(topic, e.getSessionKey().getBytes(StandardCharsets.UTF_8),
            VigilSerdes.events().encode(e))).get();
      }
    }
    indexer = EventIndexer.start(IndexerConfig.from(Settings.of(Map.of(
        "vigil.indexer.opensearch.url", os.httpUrl(),
        "vigil.indexer.index-prefix", prefix,
        "vigil.indexer.topic", topic,
        "vigil.indexer.dlq-topic", "dlq-" + id,
        "vigil.indexer.poll-timeout", "100ms",
        "vigil.indexer.kafka.consumer.bootstrap.servers", kafka.bootstrapServers(),
        "vigil.indexer.kafka.consumer.group.id", "indexer-" + id))));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (indexer.stats().committedBatches() == 0 || indexer.stats().indexed() < EVENTS.size()) {
      assertThat(System.nanoTime()).as("indexing finished in time").isLessThan(deadline);
      Thread.sleep(100);
    }

    vertx = Vertx.vertx();
    issuer = QueryApiAuthTest.await(DevOidcIssuer.start(vertx, 0));
    api = QueryApiAuthTest.await(QueryApi.start(vertx, config(prefix + "-*")));
    http = new Http(api.port());
    analyst = issuer.mint("carol", List.of("vigil-analysts"), Duration.ofMinutes(10));
    // documents become searchable after a refresh
    long searchable = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (http.get("/api/v1/events?size=500", analyst).body().getLong("total") < EVENTS.size()) {
      assertThat(System.nanoTime()).as("documents searchable in time").isLessThan(searchable);
      Thread.sleep(200);
    }
  }

  private static QueryApiConfig config(String pattern) {
    return QueryApiConfig.from(Settings.of(Map.of(
        "vigil.query.port", "0",
        "vigil.query.oidc.issuer", issuer.issuerUrl(),
        "vigil.query.opensearch.url", openSearch.httpUrl(),
        "vigil.query.index-pattern", pattern,
        // the gateway in this test maps usernames with the prefix "oidc:"
        "vigil.query.oidc.username-prefix", "oidc:")));
  }

  @AfterAll
  static void stop() throws Exception {
    if (indexer != null) {
      indexer.close();
    }
    if (api != null) {
      QueryApiAuthTest.await(api.close());
    }
    if (issuer != null) {
      QueryApiAuthTest.await(issuer.close());
    }
    if (vertx != null) {
      QueryApiAuthTest.await(vertx.close());
    }
  }

  private static List<String> ids(JsonArray events) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < events.size(); i++) {
      out.add(events.getJsonObject(i).getString("eventId"));
    }
    return out;
  }

  private static String id(int index) {
    return EVENTS.get(index).getEventId();
  }

  private static JsonObject search(String query) {
    Http.Reply r = http.get("/api/v1/events" + query, analyst);
    assertThat(r.status()).as(query + " → " + r.body()).isEqualTo(200);
    return r.body();
  }

  @Test
  void shouldAnswerReadyWhenOpenSearchIsUp() {
    Http.Reply r = http.get("/readyz", null);
    assertThat(r.status()).as(String.valueOf(r.body())).isEqualTo(200);
    assertThat(r.body().getJsonObject("checks").getJsonObject("opensearch").getBoolean("ready")).isTrue();
  }

  @Test
  void shouldReturnAllEventsNewestFirst() {
    JsonObject r = search("");
    assertThat(r.getLong("total")).isEqualTo(6);
    assertThat(ids(r.getJsonArray("events"))).containsExactly(id(5), id(4), id(3), id(0), id(2), id(1));
  }

  @Test
  void shouldHonourTheSize() {
    JsonObject r = search("?size=2");
    assertThat(r.getLong("total")).isEqualTo(6);
    assertThat(ids(r.getJsonArray("events"))).containsExactly(id(5), id(4));
  }

  @Test
  void shouldFilterByNamespaceVerbResourceIdentityAndSession() {
    assertThat(ids(search("?namespace=dev").getJsonArray("events"))).containsExactlyInAnyOrder(id(4), id(5));
    assertThat(ids(search("?verb=list").getJsonArray("events"))).containsExactlyInAnyOrder(id(1), id(5));
    assertThat(ids(search("?resource=pods&namespace=prod").getJsonArray("events"))).containsExactlyInAnyOrder(id(1), id(2));
    assertThat(ids(search("?identity=oidc:bob").getJsonArray("events"))).containsExactlyInAnyOrder(id(4), id(5));
    assertThat(ids(search("?identity=sub-alice&verb=get").getJsonArray("events"))).containsExactlyInAnyOrder(id(0), id(3));
    assertThat(ids(search("?sessionKey=alice%40corp%2Fs%201&resource=secrets").getJsonArray("events"))).containsExactlyInAnyOrder(id(0), id(3));
    assertThat(search("?namespace=nowhere").getLong("total")).isZero();
  }

  @Test
  void shouldFindBodiesPathsAndNamesByFullText() {
    assertThat(ids(search("?q=rotation").getJsonArray("events"))).containsExactlyInAnyOrder(id(0), id(4));
    assertThat(ids(search("?q=rotation+database").getJsonArray("events"))).containsExactly(id(0));
    assertThat(ids(search("?q=rotation&namespace=dev").getJsonArray("events"))).containsExactly(id(4));
    assertThat(ids(search("?q=%22masked%3Ak8s-secret%3Aab12%22").getJsonArray("events"))).containsExactly(id(3));
    assertThat(ids(search("?q=web-1").getJsonArray("events"))).containsExactly(id(2));
  }

  @Test
  void shouldReturnTheIndexedDocumentShape() {
    JsonObject doc = search("?q=database").getJsonArray("events").getJsonObject(0);
    assertThat(doc.getString("type")).isEqualTo("request");
    assertThat(doc.getString("time")).isEqualTo("2025-05-05T10:00:30.000Z");
    assertThat(doc.getJsonObject("identity").getString("username")).isEqualTo("oidc:alice");
    assertThat(doc.getJsonObject("k8s").getString("name")).isEqualTo("db-creds");
    assertThat(doc.getJsonObject("decision").getString("effect")).isEqualTo("ALLOW");
    assertThat(doc.getJsonObject("body").getString("content")).contains("quarterly rotation");
  }

  @Test
  void shouldReturnASessionInKafkaOffsetOrderAcrossGateways() {
    Http.Reply r = http.get("/api/v1/sessions/alice%40corp%2Fs%201/events", analyst);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body().getString("sessionKey")).isEqualTo(ALICE);
    JsonArray events = r.body().getJsonArray("events");
    // by sequence it would be 1, 3, 0, 2; by time 1, 2, 0, 3
    assertThat(ids(events)).containsExactly(id(0), id(1), id(2), id(3));
    List<Long> offsets = new ArrayList<>();
    for (int i = 0; i < events.size(); i++) {
      offsets.add(events.getJsonObject(i).getJsonObject("kafka").getLong("offset"));
    }
    assertThat(offsets).isSorted().doesNotHaveDuplicates();
    assertThat(events.getJsonObject(1).getString("gatewayId")).isEqualTo("gw-2");
  }

  @Test
  void shouldAnswer404ForAnUnknownSession() {
    Http.Reply r = http.get("/api/v1/sessions/nobody/events", analyst);
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.body().getJsonObject("error").getString("code")).isEqualTo("not_found");
    assertThat(r.body().getJsonObject("error").getString("requestId")).isNotBlank();
  }

  @Test
  void shouldReturnEmptyResultsWhenNoIndexExistsYet() throws Exception {
    QueryApi empty = QueryApiAuthTest.await(QueryApi.start(vertx, config("nothing-here-*")));
    try {
      Http.Reply r = new Http(empty.port()).get("/api/v1/events?q=rotation&namespace=prod", analyst);
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.body().getLong("total")).isZero();
      assertThat(r.body().getJsonArray("events")).isEmpty();
      assertThat(new Http(empty.port()).get("/api/v1/sessions/alice%40corp%2Fs%201/events", analyst).status()).isEqualTo(404);
    } finally {
      QueryApiAuthTest.await(empty.close());
    }
  }

  @Test
  void shouldShowNonAnalystsOnlyTheirOwnEvents() {
    String alice = issuer.mint("alice", List.of("developers"), Duration.ofMinutes(5));
    JsonObject own = http.get("/api/v1/events?size=500", alice).body();
    assertThat(own.getLong("total")).isEqualTo(4);
    assertThat(ids(own.getJsonArray("events"))).containsExactlyInAnyOrder(id(0), id(1), id(2), id(3));
    assertThat(http.get("/api/v1/events?identity=oidc:bob", alice).status()).isEqualTo(403); // asking is refused
    assertThat(http.get("/api/v1/sessions/bob-s/events", alice).status()).isEqualTo(404);
    assertThat(http.get("/api/v1/sessions/alice%40corp%2Fs%201/events", alice).status()).isEqualTo(200);
    String dave = issuer.mint("dave", List.of("developers"), Duration.ofMinutes(5));
    assertThat(http.get("/api/v1/events", dave).body().getLong("total")).isZero();
    assertThat(http.get("/api/v1/events", null).status()).isEqualTo(401);
  }
}
