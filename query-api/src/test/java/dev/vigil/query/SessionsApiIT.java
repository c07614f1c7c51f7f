package dev.vigil.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.vigil.embedded.junit.OpenSearchExtension;
import dev.vigil.embedded.opensearch.EmbeddedOpenSearch;

/** Session search, detail, export and alerts over documents written as the contract describes. */
@ExtendWith(OpenSearchExtension.class)
class SessionsApiIT {

  private static ApiHarness h;
  private static SessionsScenario s;

  @BeforeAll
  static void start(EmbeddedOpenSearch os) throws Exception {
    h = new ApiHarness(os, Map.of());
    s = new SessionsScenario(h);
  }

  @AfterAll
  static void stop() throws Exception {
    if (h != null) {
      h.close();
    }
  }

  static List<String> sessionIds(JsonObject page) {
    List<String> out = new ArrayList<>();
    page.getJsonArray("sessions").forEach(o -> out.add(((JsonObject) o).getString("id")));
    return out;
  }

  private static JsonObject sessions(String query) {
    Http.Reply r = h.http.get("/api/v1/sessions" + query, h.analyst());
    assertThat(r.status()).as(query + " → " + r.text()).isEqualTo(200);
    return r.body();
  }

  @Test
  void shouldFilterSessions() {
    assertThat(sessionIds(sessions("?namespace=payments")))
        .containsExactly(s.payments.sessionId(), s.earlier.sessionId());
    assertThat(sessionIds(sessions("?identity=agent-2"))).containsExactly(s.other.sessionId());
    assertThat(sessionIds(sessions("?hasAlerts=true"))).containsExactlyInAnyOrder(s.payments.sessionId(), s.other.sessionId());
    assertThat(sessionIds(sessions("?status=open"))).containsExactly(s.other.sessionId());
    assertThat(sessionIds(sessions("?verb=delete"))).containsExactly(s.payments.sessionId());
    assertThat(sessionIds(sessions("?resource=pods%2Fexec"))).containsExactly(s.payments.sessionId());
    assertThat(sessionIds(sessions("?channel=LLM"))).containsExactly(s.payments.sessionId());
    assertThat(sessionIds(sessions("?group=ai-agents"))).hasSize(3);
    assertThat(sessionIds(sessions("?to=2025-05-05T10:30:00Z"))).containsExactly(s.earlier.sessionId());
    assertThat(sessionIds(sessions("?from=2025-05-05T11:30:00Z"))).containsExactly(s.other.sessionId());
    JsonObject all = sessions("");
    assertThat(all.getLong("total")).isEqualTo(3);
    assertThat(all.getValue("nextSearchAfter")).isNull();
    JsonObject first = all.getJsonArray("sessions").getJsonObject(0);
    assertThat(first.getString("id")).isEqualTo(s.other.sessionId());
    assertThat(first.getString("sessionKey")).isEqualTo("agent-2");
    assertThat(first.getJsonObject("identity").getString("username")).isEqualTo("agent-2");
  }

  @Test
  void shouldFindSessionsByTheTextOfTheirOwnEvents() {
    // agent-1's later session has no "rotation": the same session key's earlier one does
    assertThat(sessionIds(sessions("?q=rotation")))
        .containsExactly(s.other.sessionId(), s.earlier.sessionId());
    assertThat(sessionIds(sessions("?q=rotation&identity=agent-1"))).containsExactly(s.earlier.sessionId());
    assertThat(sessionIds(sessions("?q=payments-api-x"))).containsExactly(s.payments.sessionId());
    assertThat(sessionIds(sessions("?q=nothing-matches-this"))).isEmpty();
    assertThat(sessions("?q=nothing-matches-this").getLong("total")).isZero();
  }

  @Test
  void shouldSortSessions() {
    assertThat(sessionIds(sessions("?sort=firstEventTime&order=asc")))
        .containsExactly(s.earlier.sessionId(), s.payments.sessionId(), s.other.sessionId());
    assertThat(sessionIds(sessions("?sort=alertCount")).get(2)).isEqualTo(s.earlier.sessionId());
  }

  @Test
  void shouldReturnASessionWithItsAlertsAndEventsInOffsetOrder() {
    Http.Reply r = h.http.get(SessionsScenario.path(s.payments.sessionId()), h.analyst());
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    JsonObject body = r.body();
    assertThat(body.getJsonObject("session").getString("id")).isEqualTo(s.payments.sessionId());
    assertThat(body.getJsonObject("session").getLong("eventCount")).isEqualTo(s.payments.events().size());
    assertThat(body.getBoolean("eventsTruncated")).isFalse();
    JsonArray events = body.getJsonArray("events");
    List<String> ids = new ArrayList<>();
    List<Long> offsets = new ArrayList<>();
    for (int i = 0; i < events.size(); i++) {
      JsonObject e = events.getJsonObject(i);
      ids.add(e.getString("id"));
      offsets.add(e.getJsonObject("kafka").getLong("offset"));
      assertThat(e.containsKey("raw")).isFalse();
    }
    assertThat(ids).containsExactlyElementsOf(s.payments.events().stream().map(x -> x.event().getEventId()).toList());
    assertThat(offsets).isSorted();
    assertThat(body.getJsonArray("alerts")).hasSize(1);
    assertThat(body.getJsonArray("alerts").getJsonObject(0).getString("id")).isEqualTo("alert-exec");
  }

  @Test
  void shouldAnswer404ForAnUnknownSession() {
    Http.Reply r = h.http.get("/api/v1/sessions/nobody%23nothing", h.analyst());
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.body().getJsonObject("error").getString("code")).isEqualTo("not_found");
    assertThat(h.http.post("/api/v1/sessions/nobody%23nothing/verify", h.analyst()).status()).isEqualTo(404);
  }

  @Test
  void shouldExportTheSessionAsNdjsonInChainOrderWithRawRecords() {
    Http.Reply r = h.http.get(SessionsScenario.path(s.payments.sessionId()) + "/export", h.analyst());
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("Content-Type")).startsWith("application/x-ndjson");
    assertThat(r.header("X-Vigil-Truncated")).isEqualTo("false");
    String[] lines = r.text().split("\n");
    assertThat(lines).hasSize(1 + s.payments.events().size());
    assertThat(new JsonObject(lines[0]).getJsonObject("session").getString("id")).isEqualTo(s.payments.sessionId());
    for (int i = 1; i < lines.length; i++) {
      JsonObject e = new JsonObject(lines[i]);
      assertThat(e.getString("eventId")).isEqualTo(s.payments.events().get(i - 1).event().getEventId());
      // raw is standard base64 (RFC 4648 §4, as the indexer writes it), not the base64url JsonObject#getBinary reads
      assertThat(java.util.Base64.getDecoder().decode(e.getString("raw"))).isEqualTo(s.payments.events().get(i - 1).raw());
    }
  }

  @Test
  void shouldListAndSearchAlerts() {
    JsonObject all = h.http.get("/api/v1/alerts", h.analyst()).body();
    assertThat(all.getLong("total")).isEqualTo(2);
    assertThat(all.getJsonArray("alerts").getJsonObject(0).getString("id")).isEqualTo("alert-ns"); // newest first
    assertThat(all.getValue("nextSearchAfter")).isNull();
    assertThat(alertIds("?severity=medium")).containsExactly("alert-exec");
    assertThat(alertIds("?type=first-namespace-access")).containsExactly("alert-ns");
    assertThat(alertIds("?sessionId=" + java.net.URLEncoder.encode(s.payments.sessionId(),
        java.nio.charset.StandardCharsets.UTF_8))).containsExactly("alert-exec");
    assertThat(alertIds("?q=exec%27d")).containsExactly("alert-exec");
    assertThat(alertIds("?identity=agent-2")).containsExactly("alert-ns");
    assertThat(alertIds("?from=2025-05-05T11:30:00Z")).containsExactly("alert-ns");
    assertThat(alertIds("?to=2025-05-05T11:30:00Z")).containsExactly("alert-exec");
  }

  private static List<String> alertIds(String query) {
    Http.Reply r = h.http.get("/api/v1/alerts" + query, h.analyst());
    assertThat(r.status()).as(query + " → " + r.text()).isEqualTo(200);
    List<String> out = new ArrayList<>();
    r.body().getJsonArray("alerts").forEach(o -> out.add(((JsonObject) o).getString("id")));
    return out;
  }

  @Test
  void shouldAuditEveryQueryWithoutTheToken() {
    String token = h.analyst();
    try (AuditCapture audit = new AuditCapture()) {
      h.http.get("/api/v1/sessions?namespace=payments", token);
      h.http.get("/api/v1/alerts?severity=LOW", token);
      List<JsonObject> lines = audit.lines();
      assertThat(lines).hasSizeGreaterThanOrEqualTo(2);
      JsonObject search = lines.stream().filter(l -> l.getString("endpoint").equals("GET /api/v1/sessions")).findFirst()
          .orElseThrow();
      assertThat(search.getJsonObject("caller").getString("username")).isEqualTo("analyst-1");
      assertThat(search.getJsonObject("caller").getBoolean("analyst")).isTrue();
      assertThat(search.getJsonObject("params").getString("namespace")).isEqualTo("payments");
      assertThat(search.getLong("resultCount")).isEqualTo(2);
      assertThat(search.getString("requestId")).isNotBlank();
      assertThat(audit.raw()).noneMatch(l -> l.contains(token) || l.contains(token.substring(token.lastIndexOf('.') + 1)));
    }
  }
}
