package dev.vigil.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.vertx.core.json.JsonObject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.vigil.embedded.junit.OpenSearchExtension;
import dev.vigil.embedded.opensearch.EmbeddedOpenSearch;
import dev.vigil.query.fixture.Docs;
import dev.vigil.query.fixture.RecordedSession;
import dev.vigil.schema.Effect;

/** {@code search_after} pages over more than two pages: every session and alert exactly once, in order, any sort. */
@ExtendWith(OpenSearchExtension.class)
class PaginationIT {

  private static final Instant T0 = Instant.parse("2025-07-01T00:00:00Z");
  private static final int SESSIONS = 27;
  private static ApiHarness h;
  private static final List<String> IDS = new ArrayList<>();
  private static final List<String> AGENT_3 = new ArrayList<>();

  @BeforeAll
  static void start(EmbeddedOpenSearch os) throws Exception {
    h = new ApiHarness(os, Map.of());
    Map<String, Map<String, Object>> sessions = new LinkedHashMap<>();
    Map<String, Map<String, Object>> alerts = new LinkedHashMap<>();
    List<RecordedSession.Recorded> events = new ArrayList<>();
    for (int i = 0; i < SESSIONS; i++) {
      String user = "agent-" + (i % 4);
      // groups of three sessions share their times, and alert counts repeat: the tie-breakers decide
      RecordedSession s = new RecordedSession(user + "/s" + i, user, i % 2, T0.plus(Duration.ofMinutes(i / 3)), h.partitions);
      s.kube("get", "pods", "ns-" + (i % 5), "p" + i, null, null, Effect.ALLOW, 200, null, "{}");
      events.addAll(s.events());
      sessions.put(s.sessionId(), Docs.session(s, true, h.keys, ApiHarness.KEY_ID, i % 3));
      IDS.add(s.sessionId());
      if (user.equals("agent-3")) {
        AGENT_3.add(s.sessionId());
      }
      alerts.put("alert-" + i, Docs.alert("alert-" + i, "deny-burst", "LOW", s, List.of(), "burst " + i,
          T0.plus(Duration.ofMinutes(i / 2))));
    }
    h.index.events(events);
    h.index.documents(h.index.sessionsIndex, sessions);
    h.index.documents(h.index.alertsIndex, alerts);
  }

  @AfterAll
  static void stop() throws Exception {
    if (h != null) {
      h.close();
    }
  }

  /** Follows nextSearchAfter to the end; returns the ids in page order and checks each page's size. */
  private static List<String> all(String path, String array, String query, int size, String token) {
    List<String> out = new ArrayList<>();
    String after = null;
    int pages = 0;
    do {
      String q = query + "&size=" + size + (after == null ? "" : "&searchAfter=" + URLEncoder.encode(after, StandardCharsets.UTF_8));
      Http.Reply r = h.http.get(path + "?" + q, token);
      assertThat(r.status()).as(q + " → " + r.text()).isEqualTo(200);
      JsonObject body = r.body();
      after = body.getString("nextSearchAfter");
      int n = body.getJsonArray(array).size();
      assertThat(n).isEqualTo(after == null ? n : size);
      body.getJsonArray(array).forEach(o -> out.add(((JsonObject) o).getString("id")));
      pages++;
      assertThat(pages).isLessThan(100);
    } while (after != null);
    return out;
  }

  @Test
  void shouldPageThroughEverySessionOnceWhateverTheSort() {
    for (String sort : List.of("sort=lastEventTime", "sort=lastEventTime&order=asc", "sort=firstEventTime&order=asc",
        "sort=alertCount", "sort=alertCount&order=asc")) {
      List<String> ids = all("/api/v1/sessions", "sessions", sort, 10, h.analyst());
      assertThat(ids).as(sort).hasSize(SESSIONS).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(IDS);
      // the same order as one big page
      Http.Reply one = h.http.get("/api/v1/sessions?" + sort + "&size=200", h.analyst());
      List<String> single = new ArrayList<>();
      one.body().getJsonArray("sessions").forEach(o -> single.add(((JsonObject) o).getString("id")));
      assertThat(ids).as(sort).containsExactlyElementsOf(single);
    }
  }

  @Test
  void shouldPageThroughOnlyTheCallersOwnSessions() {
    List<String> ids = all("/api/v1/sessions", "sessions", "sort=firstEventTime", 2, h.agent("agent-3"));
    assertThat(ids).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(AGENT_3);
  }

  @Test
  void shouldPageThroughEveryAlertOnce() {
    List<String> ids = all("/api/v1/alerts", "alerts", "type=deny-burst", 4, h.analyst());
    Set<String> expected = new HashSet<>();
    for (int i = 0; i < SESSIONS; i++) {
      expected.add("alert-" + i);
    }
    assertThat(ids).hasSize(SESSIONS).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void shouldKeepTheMostRecentSessionKeysAndSaySoWhenFullTextMatchesTooMany() throws Exception {
    Http.Reply all = h.http.get("/api/v1/sessions?q=pods&size=200", h.analyst());
    assertThat(all.body().getLong("total")).isEqualTo(SESSIONS);
    assertThat(all.header("X-Vigil-Partial")).isNull();
    QueryApi limited = h.another(Map.of("vigil.query.limits.full-text-session-keys", "5"));
    try {
      Http.Reply r = new Http(limited.port()).get("/api/v1/sessions?q=pods&size=200", h.analyst());
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.header("X-Vigil-Partial")).isEqualTo("true");
      assertThat(r.body().getLong("total")).isEqualTo(5);
      // the keys with the latest matches: sessions 21..26 started in the last two minutes
      long latest = T0.plus(Duration.ofMinutes(7)).toEpochMilli();
      r.body().getJsonArray("sessions").forEach(o ->
          assertThat(((JsonObject) o).getLong("firstEventTimeMillis")).isGreaterThanOrEqualTo(latest));
    } finally {
      QueryApiAuthTest.await(limited.close());
    }
  }

  @Test
  void shouldRefuseATokenOfAnotherSort() {
    String token = h.http.get("/api/v1/sessions?size=5", h.analyst()).body().getString("nextSearchAfter");
    Http.Reply r = h.http.get("/api/v1/sessions?size=5&sort=alertCount&searchAfter=" + token, h.analyst());
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.body().getJsonObject("error").getString("message")).contains("searchAfter");
  }
}
