package dev.vigil.indexer;

import static dev.vigil.indexer.IndexerItSupport.await;
import static dev.vigil.indexer.IndexerItSupport.header;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.kafka.clients.consumer.ConsumerRecord;
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

import dev.vigil.embedded.junit.KafkaExtension;
import dev.vigil.embedded.junit.OpenSearchExtension;
import dev.vigil.embedded.kafka.EmbeddedKafka;
import dev.vigil.embedded.opensearch.EmbeddedOpenSearch;
import dev.vigil.schema.Alert;
import dev.vigil.schema.SessionStatus;
import dev.vigil.schema.SessionSummary;
import dev.vigil.schema.serde.VigilSerdes;

/** Session summaries and alerts through the same indexer, on the embedded broker and node. */
@ExtendWith({KafkaExtension.class, OpenSearchExtension.class})
class SessionAlertIndexerIT {

  private static EmbeddedKafka kafka;
  private static EmbeddedOpenSearch openSearch;
  private static OpenSearchClient os;
  private IndexerItSupport it;

  @BeforeAll
  static void platform(EmbeddedKafka k, EmbeddedOpenSearch o) {
    kafka = k;
    openSearch = o;
    os = OpenSearchClients.create(o.httpUrl());
  }

  @AfterAll
  static void release() {
    OpenSearchClients.close(os);
  }

  @BeforeEach
  void names() {
    it = new IndexerItSupport(kafka, openSearch);
  }

  @AfterEach
  void closeAll() throws Exception {
    it.close();
  }

  private void produce(SessionSummary s) throws Exception {
    it.produce(it.sessionsTopic, s.getSessionId(), VigilSerdes.sessions().encode(s));
  }

  private void produce(Alert a) throws Exception {
    it.produce(it.alertsTopic, a.getSessionKey(), VigilSerdes.alerts().encode(a));
  }

  private ObjectNode session(String sessionId) throws Exception {
    GetResponse<ObjectNode> r = os.get(g -> g.index(it.sessionsIndex).id(sessionId), ObjectNode.class);
    return r.found() ? r.source() : null;
  }

  private long count(String index) throws Exception {
    os.indices().refresh(r -> r.index(index).ignoreUnavailable(true).allowNoIndices(true));
    return os.count(c -> c.index(index).ignoreUnavailable(true).allowNoIndices(true)).count();
  }

  @Test
  void shouldReplaceAnOpenSessionByItsClosedSummaryAndNeverGoBack() throws Exception {
    String sid = "agent-1#" + it.id;
    produce(TestSummaries.summary("agent-1", sid, SessionStatus.OPEN, 1, 0));
    EventIndexer first = it.start(it.config("g1-" + it.id));

    await("the OPEN summary is indexed", () -> "OPEN".equals(session(sid).get("status").asText()));
    assertThat(session(sid).get("eventCount").asLong()).isEqualTo(1);

    produce(TestSummaries.summary("agent-1", sid, SessionStatus.CLOSED, 3, 1));
    await("the CLOSED summary replaced it", () -> "CLOSED".equals(session(sid).get("status").asText()));
    ObjectNode closed = session(sid);
    assertThat(closed.get("eventCount").asLong()).isEqualTo(3);
    assertThat(closed.get("hasAlerts").asBoolean()).isTrue();
    assertThat(closed.get("signature").asText()).isEqualTo("c2lnbmF0dXJl");
    assertThat(closed.at("/kafka/offset").asLong()).isEqualTo(1);
    assertThat(count(it.sessionsIndex)).isEqualTo(1);
    first.close();

    // another group reads the topic again from the start: the OPEN summary (offset 0) comes again, after the CLOSED one
    // (offset 1) is stored — it must not overwrite it
    EventIndexer second = it.start(it.config("g2-" + it.id));
    await("both summaries re-read", () -> second.stats().committedBatches() >= 1
        && second.stats().superseded() + second.stats().indexed() == 2);
    assertThat(second.stats().superseded()).as("the older OPEN summary is superseded").isEqualTo(1);
    assertThat(second.stats().deadLettered()).isZero();
    assertThat(session(sid).get("status").asText()).isEqualTo("CLOSED");
    assertThat(session(sid).get("eventCount").asLong()).isEqualTo(3);

    SearchResponse<ObjectNode> byVerb = os.search(s -> s.index(it.sessionsIndex).query(q -> q.bool(b -> b
        .filter(f -> f.term(t -> t.field("verbs").value(FieldValue.of("delete"))))
        .filter(f -> f.term(t -> t.field("identity.groups").value(FieldValue.of("ai-agents"))))
        .filter(f -> f.term(t -> t.field("hasAlerts").value(FieldValue.of(true)))))), ObjectNode.class);
    assertThat(byVerb.hits().hits()).extracting(h -> h.id()).containsExactly(sid);
  }

  @Test
  void shouldKeepOneDocumentPerAlertIdAndMakeAlertsSearchable() throws Exception {
    Alert a1 = TestSummaries.alert("al-1-" + it.id, "agent-1", "agent-1#e0");
    Alert a2 = TestSummaries.alert("al-2-" + it.id, "agent-1", "agent-1#e0");
    produce(a1);
    produce(a1);
    produce(a2);

    EventIndexer indexer = it.start(it.config("g-" + it.id));

    await("3 records written", () -> indexer.stats().indexed() == 3);
    assertThat(count(it.alertsIndex)).isEqualTo(2);
    SearchResponse<ObjectNode> found = os.search(s -> s.index(it.alertsIndex).query(q -> q.bool(b -> b
        .filter(f -> f.term(t -> t.field("severity").value(FieldValue.of("HIGH"))))
        .filter(f -> f.term(t -> t.field("attributes.pod").value(FieldValue.of("api-0"))))
        .must(m -> m.match(t -> t.field("description").query(FieldValue.of("shell")))))), ObjectNode.class);
    assertThat(found.hits().hits()).extracting(h -> h.id()).containsExactlyInAnyOrder(a1.getAlertId(), a2.getAlertId());
    ObjectNode doc = found.hits().hits().get(0).source();
    assertThat(doc.get("sessionId").asText()).isEqualTo("agent-1#e0");
    assertThat(doc.get("evidenceEventIds").toString()).isEqualTo("[\"e1\",\"e2\"]");
  }

  @Test
  void shouldDeadLetterAlertsTheIndexMappingRefusesAndIndexTheRest() throws Exception {
    // an alerts index created by hand with a mapping that contradicts the contract: timeMillis is boolean there
    try (Response r = os.generic().execute(Requests.builder().method("PUT").endpoint("/" + it.alertsIndex)
        .json("{\"mappings\":{\"properties\":{\"timeMillis\":{\"type\":\"boolean\"}}}}").build())) {
      assertThat(r.getStatus()).isEqualTo(200);
    }
    Alert bad = TestSummaries.alert("al-bad-" + it.id, "agent-1", "agent-1#e0");
    String sid = "agent-2#" + it.id;
    produce(bad);
    produce(TestSummaries.summary("agent-2", sid, SessionStatus.OPEN, 1, 0));
    it.produce(it.sessionsTopic, sid, "not a summary".getBytes(java.nio.charset.StandardCharsets.UTF_8));

    EventIndexer indexer = it.start(it.config("g-" + it.id));

    List<ConsumerRecord<byte[], byte[]>> dlq = it.readDlq(2);
    assertThat(dlq).hasSize(2);
    ConsumerRecord<byte[], byte[]> rejected = dlq.stream()
        .filter(r -> "rejected".equals(header(r, "vigil.dlq.reason-code"))).findFirst().orElseThrow();
    assertThat(header(rejected, "vigil.dlq.reason")).startsWith("rejected: 400 ").contains("timeMillis");
    assertThat(header(rejected, "vigil.dlq.alert-id")).isEqualTo(bad.getAlertId());
    assertThat(header(rejected, "vigil.dlq.topic")).isEqualTo(it.alertsTopic);
    assertThat(rejected.value()).isEqualTo(VigilSerdes.alerts().encode(bad));
    assertThat(dlq).anySatisfy(r -> {
      assertThat(header(r, "vigil.dlq.reason-code")).isEqualTo("undecodable");
      assertThat(header(r, "vigil.dlq.topic")).isEqualTo(it.sessionsTopic);
    });
    await("the summary is indexed", () -> session(sid) != null);
    await("all three records committed", () -> indexer.stats().committedBatches() >= 1
        && indexer.stats().indexed() == 1 && indexer.stats().deadLettered() == 2);
    assertThat(count(it.alertsIndex)).isZero();
  }
}
