package dev.vigil.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.vertx.core.json.JsonObject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.vigil.embedded.junit.OpenSearchExtension;
import dev.vigil.embedded.opensearch.EmbeddedOpenSearch;

/** Analysts read everything; any other identity only its own sessions, events and alerts; others get 401/403. */
@ExtendWith(OpenSearchExtension.class)
class AccessIT {

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

  private static List<String> ids(JsonObject body, String array) {
    List<String> out = new ArrayList<>();
    body.getJsonArray(array).forEach(o -> out.add(((JsonObject) o).getString("id")));
    return out;
  }

  private static void assertForbidden(Http.Reply r) {
    assertThat(r.status()).as(r.text()).isEqualTo(403);
    assertThat(r.body().getJsonObject("error").getString("code")).isEqualTo("forbidden");
    assertThat(r.body().getJsonObject("error").getString("requestId")).isEqualTo(r.header("X-Request-Id"));
  }

  @Test
  void shouldNotLetAnAgentReadAnotherIdentitysSession() {
    String agent2 = h.agent("agent-2");
    String other = SessionsScenario.path(s.payments.sessionId());
    try (AuditCapture audit = new AuditCapture()) {
      assertForbidden(h.http.get(other, agent2));
      assertForbidden(h.http.get(other + "/transcript", agent2));
      assertForbidden(h.http.get(other + "/exec/" + s.exec + ".cast", agent2));
      assertForbidden(h.http.get(other + "/export", agent2));
      assertForbidden(h.http.post(other + "/verify", agent2));
      assertForbidden(h.http.get(other + "/tail", agent2));
      assertThat(audit.lines()).filteredOn(l -> Integer.valueOf(403).equals(l.getInteger("status")))
          .hasSize(6).allMatch(l -> l.getJsonObject("caller").getString("username").equals("agent-2"));
    }
  }

  @Test
  void shouldShowAnAgentOnlyItsOwnSessionsAlertsAndEvents() {
    String agent2 = h.agent("agent-2");
    assertThat(ids(h.http.get("/api/v1/sessions", agent2).body(), "sessions")).containsExactly(s.other.sessionId());
    assertForbidden(h.http.get("/api/v1/sessions?identity=agent-1", agent2)); // filtering by another identity
    assertThat(ids(h.http.get("/api/v1/sessions?identity=agent-2", agent2).body(), "sessions")).containsExactly(s.other.sessionId());
    assertThat(ids(h.http.get("/api/v1/sessions?q=rotation", agent2).body(), "sessions")).containsExactly(s.other.sessionId());
    assertThat(ids(h.http.get("/api/v1/alerts", agent2).body(), "alerts")).containsExactly("alert-ns");
    assertThat(ids(h.http.get("/api/v1/alerts?severity=MEDIUM", agent2).body(), "alerts")).isEmpty();
    JsonObject events = h.http.get("/api/v1/events?size=500", agent2).body();
    assertThat(events.getLong("total")).isEqualTo(s.other.events().size());
    assertThat(h.http.get("/api/v1/sessions/agent-1%2Ftask%2042/events", agent2).status()).isEqualTo(404);

    String agent1 = h.agent("agent-1");
    assertThat(ids(h.http.get("/api/v1/sessions", agent1).body(), "sessions"))
        .containsExactly(s.payments.sessionId(), s.earlier.sessionId());
    String own = SessionsScenario.path(s.payments.sessionId());
    assertThat(h.http.get(own, agent1).status()).isEqualTo(200);
    assertThat(h.http.get(own + "/transcript", agent1).status()).isEqualTo(200);
    assertThat(h.http.get(own + "/exec/" + s.exec + ".cast", agent1).status()).isEqualTo(200);
    assertThat(h.http.get(own + "/export", agent1).status()).isEqualTo(200);
    assertThat(h.http.post(own + "/verify", agent1).body().getBoolean("verified")).isTrue();
  }

  @Test
  void shouldAnswer401WithoutAValidToken() {
    String own = SessionsScenario.path(s.payments.sessionId());
    for (String path : List.of("/api/v1/sessions", own, own + "/transcript", own + "/export", own + "/tail",
        own + "/exec/" + s.exec + ".cast", "/api/v1/alerts")) {
      Http.Reply r = h.http.get(path, null);
      assertThat(r.status()).as(path).isEqualTo(401);
      assertThat(r.body().getJsonObject("error").getString("code")).isEqualTo("unauthorized");
      assertThat(h.http.get(path, "not-a-token").status()).as(path).isEqualTo(401);
    }
    assertThat(h.http.post(own + "/verify", null).status()).isEqualTo(401);
  }
}
