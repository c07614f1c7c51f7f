package dev.vigil.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.vertx.core.json.JsonObject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.vigil.embedded.junit.OpenSearchExtension;
import dev.vigil.embedded.opensearch.EmbeddedOpenSearch;
import dev.vigil.indexer.EventDocuments;
import dev.vigil.query.fixture.Docs;
import dev.vigil.query.fixture.RecordedSession;
import dev.vigil.schema.Effect;
import dev.vigil.schema.chain.Ed25519Keys;

/**
 * Verification from what is stored: an intact signed session verifies; a tampered stored document, a tampered raw
 * record, a consistent rewrite of both (the chain head gives it away), a forged signature, an unknown key and a
 * missing event are each reported.
 */
@ExtendWith(OpenSearchExtension.class)
class VerifyIT {

  private static final Instant T0 = Instant.parse("2025-06-01T08:00:00Z");
  private static ApiHarness h;
  private static final Map<String, RecordedSession> SESSIONS = new LinkedHashMap<>();

  @BeforeAll
  static void start(EmbeddedOpenSearch os) throws Exception {
    h = new ApiHarness(os, Map.of());
    Map<String, Map<String, Object>> docs = new LinkedHashMap<>();
    List<RecordedSession.Recorded> events = new ArrayList<>();
    int n = 0;
    for (String name : List.of("intact", "doc", "raw", "both", "forged", "unknown-key", "missing", "open")) {
      RecordedSession s = new RecordedSession("verify-" + name, "agent-9", n % 3, T0.plus(Duration.ofHours(n++)), h.partitions);
      s.kube("list", "pods", "payments", null, null, null, Effect.ALLOW, 200, null, "{\"items\":[]}");
      s.exec("payments", "payments-api-x", "env", List.of("A=1\n"), null);
      s.kube("delete", "secrets", "payments", "db", null, null, Effect.DENY, 403, null, "{\"code\":403}");
      SESSIONS.put(name, s);
      events.addAll(s.events());
      Map<String, Object> doc = Docs.session(s, !name.equals("open"), h.keys, ApiHarness.KEY_ID, 0);
      if (name.equals("forged")) {
        doc = Docs.session(s, true, Ed25519Keys.generate(), ApiHarness.KEY_ID, 0);
      } else if (name.equals("unknown-key")) {
        doc.put("signingKeyId", "retired-key");
      }
      docs.put(s.sessionId(), doc);
    }
    h.index.events(events);
    h.index.documents(h.index.sessionsIndex, docs);
  }

  @AfterAll
  static void stop() throws Exception {
    if (h != null) {
      h.close();
    }
  }

  private static JsonObject verify(String name) {
    Http.Reply r = h.http.post(SessionsScenario.path(SESSIONS.get(name).sessionId()) + "/verify", h.analyst());
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    return r.body();
  }

  private static String eventIndex(RecordedSession.Recorded r) {
    return EventDocuments.indexName(h.index.eventsPrefix, r.event().getTime());
  }

  @Test
  void shouldVerifyAnIntactSignedSession() {
    JsonObject v = verify("intact");
    assertThat(v.getBoolean("verified")).as(v.encode()).isTrue();
    assertThat(v.getLong("eventCount")).isEqualTo(SESSIONS.get("intact").events().size());
    assertThat(v.getString("computedHead")).isEqualTo(v.getString("headDigest")).hasSize(64);
    assertThat(v.getBoolean("signatureValid")).isTrue();
    assertThat(v.getValue("firstDivergentIndex")).isNull();
    assertThat(v.getValue("firstDivergentEventId")).isNull();
    assertThat(v.getString("reason")).contains("signature valid");
  }

  @Test
  void shouldNameATamperedStoredDocument() throws Exception {
    RecordedSession.Recorded target = SESSIONS.get("doc").events().get(4); // an exec stdout frame
    Map<String, Object> doc = Docs.event(target);
    doc.put("body", Map.of("content", "QT1oaWRkZW4K", "encoding", "BASE64"));
    h.index.put(eventIndex(target), target.event().getEventId(), doc);
    JsonObject v = verify("doc");
    assertThat(v.getBoolean("verified")).isFalse();
    assertThat(v.getInteger("firstDivergentIndex")).isEqualTo(4);
    assertThat(v.getString("firstDivergentEventId")).isEqualTo(target.event().getEventId());
    assertThat(v.getString("reason")).contains("differs from its raw record").contains("body");
    // the raw records are intact: the chain still verifies
    assertThat(v.getString("computedHead")).isEqualTo(v.getString("headDigest"));
    assertThat(v.getBoolean("signatureValid")).isTrue();
  }

  @Test
  void shouldNameATamperedRawRecord() throws Exception {
    RecordedSession.Recorded target = SESSIONS.get("raw").events().get(1);
    byte[] raw = target.raw().clone();
    raw[raw.length - 3] ^= 0x01; // a trailing field of the response (its outcome)
    Map<String, Object> doc = Docs.event(target);
    doc.put("raw", Base64.getEncoder().encodeToString(raw));
    h.index.put(eventIndex(target), target.event().getEventId(), doc);
    JsonObject v = verify("raw");
    assertThat(v.getBoolean("verified")).isFalse();
    assertThat(v.getInteger("firstDivergentIndex")).isEqualTo(1);
    assertThat(v.getString("firstDivergentEventId")).isEqualTo(target.event().getEventId());
    assertThat(v.getString("computedHead")).isNotEqualTo(v.getString("headDigest"));
  }

  @Test
  void shouldDetectAConsistentRewriteOfRecordAndDocumentByTheChainHead() throws Exception {
    RecordedSession.Recorded target = SESSIONS.get("both").events().get(0);
    target.event().getRequest().getKubernetes().setNamespace("elsewhere");
    RecordedSession.Recorded rewritten = new RecordedSession.Recorded(target.event(),
        dev.vigil.schema.serde.VigilSerdes.events().encode(target.event()), target.partition(), target.offset());
    h.index.put(eventIndex(target), target.event().getEventId(), Docs.event(rewritten));
    JsonObject v = verify("both");
    assertThat(v.getBoolean("verified")).isFalse();
    assertThat(v.getValue("firstDivergentIndex")).isNull(); // no per-event heads to locate it by
    assertThat(v.getString("computedHead")).isNotEqualTo(v.getString("headDigest"));
    assertThat(v.getString("reason")).contains("headDigest");
  }

  @Test
  void shouldReportABadSignature() {
    JsonObject v = verify("forged");
    assertThat(v.getBoolean("verified")).isFalse();
    assertThat(v.getBoolean("signatureValid")).isFalse();
    assertThat(v.getString("computedHead")).isEqualTo(v.getString("headDigest"));
    assertThat(v.getString("reason")).contains("signature does not verify");
  }

  @Test
  void shouldNotClaimASignatureItCannotCheck() {
    JsonObject v = verify("unknown-key");
    assertThat(v.getBoolean("verified")).isFalse();
    assertThat(v.getValue("signatureValid")).isNull();
    assertThat(v.getString("reason")).contains("retired-key");
  }

  @Test
  void shouldReportAMissingEvent() throws Exception {
    RecordedSession.Recorded target = SESSIONS.get("missing").events().get(8);
    h.index.send("DELETE", "/" + eventIndex(target) + "/_doc/" + target.event().getEventId() + "?refresh=true", null);
    JsonObject v = verify("missing");
    assertThat(v.getBoolean("verified")).isFalse();
    assertThat(v.getString("reason")).contains("only 8 of the session's 9 events");
    assertThat(v.getString("computedHead")).isNotEqualTo(v.getString("headDigest"));
  }

  @Test
  void shouldVerifyAnOpenSessionWithoutASignature() {
    JsonObject v = verify("open");
    assertThat(v.getBoolean("verified")).as(v.encode()).isTrue();
    assertThat(v.getValue("signatureValid")).isNull();
    assertThat(v.getString("reason")).contains("OPEN");
  }

  @Test
  void shouldRefuseAnotherIdentitysVerification() {
    Http.Reply r = h.http.post(SessionsScenario.path(SESSIONS.get("intact").sessionId()) + "/verify", h.agent("agent-2"));
    assertThat(r.status()).isEqualTo(403);
    assertThat(h.http.post(SessionsScenario.path(SESSIONS.get("intact").sessionId()) + "/verify", h.agent("agent-9"))
        .body().getBoolean("verified")).isTrue();
  }
}
