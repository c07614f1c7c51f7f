package dev.vigil.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.vigil.embedded.junit.OpenSearchExtension;
import dev.vigil.embedded.opensearch.EmbeddedOpenSearch;
import dev.vigil.query.fixture.RecordedSession;

/**
 * Attack suite, authorization: agent-2 (outside the analyst group) trying to read agent-1's records through every
 * endpoint — by session id, guessed ids, an identity filter, full-text syntax and forged page cursors. Every attempt is
 * refused (403/404/400 in the one error shape) or answered from agent-2's own records only, never with a byte of
 * agent-1's data, and every attempt is on the audit trail. Requests go byte for byte through {@link AttackProbe}.
 */
@ExtendWith(OpenSearchExtension.class)
class QueryApiAttackIT {

  private static ApiHarness h;
  private static SessionsScenario s;
  private static AttackProbe probe;
  private static String attacker;

  @BeforeAll
  static void start(EmbeddedOpenSearch os) throws Exception {
    h = new ApiHarness(os, Map.of());
    s = new SessionsScenario(h);
    probe = new AttackProbe(h.api.port(), victimMarkers(s));
    attacker = h.agent("agent-2");
  }

  @AfterAll
  static void stop() throws Exception {
    if (h != null) {
      h.close();
    }
  }

  /** What only agent-1's records hold: its name, ids, recorded text. */
  static List<String> victimMarkers(SessionsScenario s) {
    List<String> m = new ArrayList<>(List.of("agent-1", "task 42", "quarterly rotation", "payments-api-x", "PATH=/usr/bin",
        "db-creds", "what pods run in payments", "alert-exec", "exec'd into", s.exec, s.listPods, s.denied, s.llm));
    for (RecordedSession session : List.of(s.earlier, s.payments)) {
      session.events().forEach(e -> m.add(e.event().getEventId()));
    }
    return m;
  }

  private static String enc(String v) {
    return URLEncoder.encode(v, StandardCharsets.UTF_8).replace("+", "%20");
  }

  @Test
  void shouldRefuseAnotherIdentitysSessionThroughEveryEndpoint() {
    String victim = SessionsScenario.path(s.payments.sessionId());
    String own = SessionsScenario.path(s.other.sessionId());
    try (AuditCapture audit = new AuditCapture()) {
      for (String[] call : List.of(new String[] {"GET", victim}, new String[] {"GET", victim + "/transcript"},
          new String[] {"GET", victim + "/exec/" + s.exec + ".cast"}, new String[] {"GET", victim + "/export"},
          new String[] {"POST", victim + "/verify"}, new String[] {"GET", victim + "/tail"},
          new String[] {"GET", victim + "/tail?afterOffset=0"},
          new String[] {"GET", SessionsScenario.path(s.earlier.sessionId()) + "/export"})) {
        AttackProbe.Answer a = probe.refused(call[0], call[1], attacker, 403);
        JsonObject line = AttackProbe.audited(audit, a, "agent-2", attacker);
        assertThat(line.getJsonObject("detail").getString("owner")).isEqualTo("agent-1");
        assertThat(line.getJsonObject("resource").getString("sessionId")).startsWith(SessionsScenario.KEY_1 + "#");
        assertThat(line.getString("endpoint")).startsWith(call[0] + " /api/v1/sessions/{sessionId}");
      }
      // guessed ids: the victim's exec call under the attacker's own session, the victim's key, its event ids, a
      // made-up session of the victim's key — all "not found", and recorded
      List<String> guesses = new ArrayList<>(List.of(own + "/exec/" + s.exec + ".cast",
          "/api/v1/sessions/" + enc(SessionsScenario.KEY_1) + "/events",
          "/api/v1/sessions/" + enc(SessionsScenario.KEY_1 + "#" + UUID.randomUUID()),
          "/api/v1/sessions/" + enc(SessionsScenario.KEY_1 + "#" + s.payments.events().get(3).event().getEventId()),
          "/api/v1/sessions/" + s.payments.events().get(0).event().getEventId() + "/events",
          "/api/v1/sessions/" + s.payments.events().get(0).event().getEventId()));
      for (String guess : guesses) {
        AttackProbe.audited(audit, probe.refused("GET", guess, attacker, 404), "agent-2", attacker);
      }
    }
  }

  @Test
  void shouldRefuseSearchingAnotherIdentity() {
    try (AuditCapture audit = new AuditCapture()) {
      for (String path : List.of("/api/v1/sessions?identity=agent-1", "/api/v1/alerts?identity=agent-1",
          "/api/v1/events?identity=agent-1", "/api/v1/sessions?identity=agent-1&q=rotation",
          "/api/v1/events?identity=agent-1&q=quarterly", "/api/v1/alerts?identity=analyst-1&severity=MEDIUM")) {
        JsonObject line = AttackProbe.audited(audit, probe.refused("GET", path, attacker, 403), "agent-2", attacker);
        assertThat(line.getJsonObject("detail").getString("identity")).isIn("agent-1", "analyst-1");
        assertThat(line.getJsonObject("params").getString("identity")).isIn("agent-1", "analyst-1");
      }
      // its own identity is a filter it may use
      assertThat(probe.send("GET", "/api/v1/sessions?identity=agent-2", attacker).status()).isEqualTo(200);
    }
  }

  @Test
  void shouldAnswerFiltersThatNameNoIdentityFromTheCallersOwnRecordsOnly() {
    List<String> paths = List.of("/api/v1/sessions", "/api/v1/sessions?namespace=payments", "/api/v1/sessions?group=ai-agents",
        "/api/v1/sessions?hasAlerts=true&sort=alertCount", "/api/v1/alerts", "/api/v1/alerts?severity=MEDIUM",
        "/api/v1/alerts?sessionId=" + enc(s.payments.sessionId()), "/api/v1/events?size=500",
        "/api/v1/events?sessionKey=" + enc(SessionsScenario.KEY_1), "/api/v1/events?namespace=payments&verb=delete");
    try (AuditCapture audit = new AuditCapture()) {
      for (String path : paths) {
        AttackProbe.Answer a = ownRecordsOnly(path);
        JsonObject line = audit.lines().stream().filter(l -> a.header("X-Request-Id").equals(l.getString("requestId")))
            .findFirst().orElseThrow();
        assertThat(line.getJsonObject("caller").getString("username")).isEqualTo("agent-2");
        assertThat(line.containsKey("resultCount")).as("the attempt is recorded as the query it was").isTrue();
      }
    }
  }

  @Test
  void shouldKeepFullTextInsideTheCallersOwnRecords() {
    // positive control: the words do match agent-1's records for an analyst
    assertThat(probe.send("GET", "/api/v1/events?q=quarterly", h.analyst()).json().getLong("total")).isPositive();
    List<String> queries = List.of("identity:agent-1", "identity.username:agent-1", "*", "agent-1", "quarterly",
        "payments-api-x", "* | quarterly", "_id:*", "identity.username:agent-1 OR *", "-agent-2", "\"quarterly rotation\"",
        "quarter*", "quartrly~2", "{\"match_all\":{}}", "*:*", "_exists_:identity", "(agent-1) | (agent-2)",
        "sessionKey:agent-1*", "\\\" OR 1=1 --");
    try (AuditCapture audit = new AuditCapture()) {
      for (String q : queries) {
        for (String endpoint : List.of("/api/v1/sessions?q=", "/api/v1/events?q=", "/api/v1/alerts?q=")) {
          AttackProbe.Answer a = ownRecordsOnly(endpoint + enc(q));
          JsonObject line = audit.lines().stream().filter(l -> a.header("X-Request-Id").equals(l.getString("requestId")))
              .findFirst().orElseThrow();
          assertThat(line.getJsonObject("params").getString("q")).isEqualTo(q.strip());
        }
      }
    }
  }

  @Test
  void shouldGiveForgedPageCursorsNoAuthority() {
    // a real cursor of the analyst's first page (the next hit is agent-1's) replayed by agent-2
    String analystNext = probe.send("GET", "/api/v1/sessions?size=1", h.analyst()).json().getString("nextSearchAfter");
    assertThat(analystNext).isNotNull();
    long victimLast = s.payments.events().get(s.payments.events().size() - 1).event().getTime().toEpochMilli();
    List<String> cursors = List.of(analystNext,
        cursor("sessions:lastEventTime:desc", new JsonArray().add(Long.MAX_VALUE).add("")),
        cursor("sessions:lastEventTime:desc", new JsonArray().add(victimLast + 1).add(s.payments.sessionId())),
        cursor("sessions:lastEventTime:asc", new JsonArray().add(0L).add("")));
    for (String c : cursors) {
      String order = c.equals(cursors.get(3)) ? "&order=asc" : "";
      ownRecordsOnly("/api/v1/sessions?size=5&searchAfter=" + c + order);
    }
    ownRecordsOnly("/api/v1/alerts?searchAfter=" + cursor("alerts:time:desc", new JsonArray().add(Long.MAX_VALUE).add("")));
    try (AuditCapture audit = new AuditCapture()) {
      for (String bad : List.of(
          cursor("sessions:lastEventTime:desc", new JsonArray().add("agent-1").add("x")),
          cursor("sessions:lastEventTime:desc", new JsonArray().add(new JsonObject().put("match_all", new JsonObject())).add("x")),
          cursor("sessions:lastEventTime:desc", new JsonArray().add(1L).add(2L)),
          cursor("sessions:lastEventTime:desc", new JsonArray().add(1L).add("x").add("y")),
          cursor("sessions:alertCount:desc", new JsonArray().add(1L).add(2L).add("x")),
          "..%2F..%2Fetc%2Fpasswd", "eyJrIjoic2Vzc2lvbnMifQ")) {
        AttackProbe.audited(audit, probe.refused("GET", "/api/v1/sessions?searchAfter=" + bad, attacker, 400),
            "agent-2", attacker);
      }
    }
  }

  private static String cursor(String sortKey, JsonArray values) {
    String json = new JsonObject().put("k", sortKey).put("v", values).encode();
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  /** A 200 JSON answer to agent-2 holding only agent-2's documents and none of agent-1's data. */
  private static AttackProbe.Answer ownRecordsOnly(String path) {
    AttackProbe.Answer a = probe.send("GET", path, attacker);
    assertThat(a.status()).as("%s → %s", path, a.body()).isEqualTo(200);
    assertThat(a.header("Content-Type")).startsWith("application/json");
    assertThat(a.header("X-Content-Type-Options")).isEqualTo("nosniff");
    probe.assertNoMarkers(a);
    JsonObject body = a.json();
    for (String array : List.of("sessions", "alerts", "events")) {
      JsonArray docs = body.getJsonArray(array);
      if (docs != null) {
        docs.forEach(d -> assertThat(((JsonObject) d).getJsonObject("identity").getString("username")).as(path)
            .isEqualTo("agent-2"));
      }
    }
    return a;
  }
}
