package dev.vigil.query.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import org.junit.jupiter.api.Test;

/** Transcript steps from event documents: the cases the API ITs do not cover. */
class TranscriptTest {

  private static JsonObject event(String id, String requestId, String type, String channel, long millis) {
    return new JsonObject().put("eventId", id).put("requestId", requestId).put("type", type).put("channel", channel)
        .put("timeMillis", millis).put("time", java.time.Instant.ofEpochMilli(millis).toString())
        .put("method", "POST").put("path", "/v1/chat/completions");
  }

  private static JsonObject body(String json) {
    return new JsonObject().put("encoding", "TEXT").put("content", json);
  }

  @Test
  void shouldReadAnOpenAiExchangeWithToolCalls() {
    JsonObject prompt = event("e1", "r1", "request", "LLM", 1000)
        .put("decision", new JsonObject().put("effect", "ALLOW"))
        .put("body", body("{\"model\":\"gpt-x\",\"messages\":[{\"role\":\"system\",\"content\":\"be brief\"},"
            + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"list pods\"}]}]}"));
    JsonObject reply = event("e2", "r1", "response", "LLM", 2000).put("status", 200)
        .put("body", body("{\"model\":\"gpt-x\",\"choices\":[{\"message\":{\"content\":\"Sure.\",\"tool_calls\":["
            + "{\"function\":{\"name\":\"kubectl\",\"arguments\":\"{\\\"args\\\":\\\"get pods\\\"}\"}}]}}]}"));
    JsonArray steps = Transcript.steps("s#e1", List.of(prompt, reply), List.of());
    assertThat(steps).hasSize(3);
    assertThat(steps.getJsonObject(0).getString("kind")).isEqualTo("llm-prompt");
    assertThat(steps.getJsonObject(0).getString("title")).isEqualTo("prompt to gpt-x (POST /v1/chat/completions)");
    assertThat(steps.getJsonObject(0).getString("detail")).isEqualTo("list pods");
    assertThat(steps.getJsonObject(1).getString("kind")).isEqualTo("llm-reply");
    assertThat(steps.getJsonObject(1).getString("detail")).isEqualTo("Sure.");
    assertThat(steps.getJsonObject(2).getString("kind")).isEqualTo("tool-use");
    assertThat(steps.getJsonObject(2).getString("title")).isEqualTo("kubectl");
    assertThat(steps.getJsonObject(2).getString("detail")).isEqualTo("{\"args\":\"get pods\"}");
  }

  @Test
  void shouldShowADeniedLlmCallAndAnUnparsableBodyAsText() {
    JsonObject denied = event("e1", "r1", "request", "LLM", 1000)
        .put("decision", new JsonObject().put("effect", "DENY").put("ruleId", "no-secrets-to-llm"))
        .put("body", body("not json"));
    JsonObject plain = event("e2", "r2", "request", "LLM", 2000).put("decision", new JsonObject().put("effect", "ALLOW"))
        .put("body", body("x".repeat(5000)));
    JsonArray steps = Transcript.steps("s#e1", List.of(denied, plain), List.of());
    assertThat(steps.getJsonObject(0).getString("kind")).isEqualTo("denied");
    assertThat(steps.getJsonObject(0).getJsonObject("decision").getString("ruleId")).isEqualTo("no-secrets-to-llm");
    assertThat(steps.getJsonObject(1).getString("detail")).hasSize(Bodies.DETAIL_MAX_CHARS).endsWith("…");
  }

  @Test
  void shouldPlaceAnAlertWithoutEvidenceInTheTranscriptByTime() {
    JsonObject a = event("e1", "r1", "request", "KUBERNETES", 1000).put("method", "GET");
    JsonObject b = event("e2", "r2", "error", "KUBERNETES", 3000).put("method", "GET").put("status", 502)
        .put("error", new JsonObject().put("errorType", "CONNECT_FAILED").put("message", "refused"));
    JsonObject alert = new JsonObject().put("id", "al-1").put("type", "mass-delete").put("severity", "HIGH")
        .put("timeMillis", 2000).put("time", "1970-01-01T00:00:02Z").put("description", "ten deletes")
        .put("evidenceEventIds", new JsonArray().add("elsewhere"));
    JsonArray steps = Transcript.steps("s#e1", List.of(a, b), List.of(alert));
    assertThat(steps).hasSize(3);
    assertThat(steps.getJsonObject(1).getString("kind")).isEqualTo("alert");
    assertThat(steps.getJsonObject(1).getString("title")).isEqualTo("HIGH mass-delete");
    assertThat(steps.getJsonObject(1).getValue("requestId")).isNull();
    assertThat(steps.getJsonObject(2).getInteger("status")).isEqualTo(502);
    assertThat(steps.getJsonObject(2).getString("detail")).isEqualTo("upstream error CONNECT_FAILED: refused");
  }

  @Test
  void shouldSummariseAWatchStream() {
    JsonObject req = event("e1", "r1", "request", "KUBERNETES", 1000).put("method", "GET")
        .put("k8s", new JsonObject().put("verb", "watch").put("resource", "pods").put("namespace", "x")
            .put("resourceRequest", true).put("apiGroup", ""))
        .put("decision", new JsonObject().put("effect", "ALLOW"));
    JsonObject f1 = event("e2", "r1", "frame", "KUBERNETES", 1100)
        .put("frame", new JsonObject().put("stream", "WATCH").put("watchEventType", "ADDED").put("direction", "TO_CLIENT"))
        .put("body", body("{\"type\":\"ADDED\"}"));
    JsonArray steps = Transcript.steps("s#e1", List.of(req, f1), List.of());
    assertThat(steps.getJsonObject(0).getString("title")).isEqualTo("kubectl get pods --watch -n x");
    assertThat(steps.getJsonObject(0).getValue("execReplay")).isNull();
    assertThat(steps.getJsonObject(1).getString("kind")).isEqualTo("stream");
    assertThat(steps.getJsonObject(1).getString("title")).isEqualTo("watch: 1 frames {ADDED=1}");
  }
}
