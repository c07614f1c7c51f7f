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

/** The transcript of a session (kubectl-style steps, denies, alerts in place, LLM steps, gaps) and its exec replay. */
@ExtendWith(OpenSearchExtension.class)
class TranscriptIT {

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

  private static JsonArray steps() {
    Http.Reply r = h.http.get(SessionsScenario.path(s.payments.sessionId()) + "/transcript", h.analyst());
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    assertThat(r.body().getJsonObject("session").getString("id")).isEqualTo(s.payments.sessionId());
    return r.body().getJsonArray("steps");
  }

  @Test
  void shouldRenderEachCallInOrderWithAlertsInPlace() {
    JsonArray steps = steps();
    List<String> kinds = new ArrayList<>();
    List<String> titles = new ArrayList<>();
    for (int i = 0; i < steps.size(); i++) {
      kinds.add(steps.getJsonObject(i).getString("kind"));
      titles.add(steps.getJsonObject(i).getString("title"));
    }
    assertThat(kinds).containsExactly("kubernetes", "kubernetes", "stream", "alert", "denied", "llm-prompt", "llm-reply",
        "tool-use", "gap");
    assertThat(titles.get(0)).isEqualTo("kubectl get pods -n payments");
    assertThat(titles.get(1)).isEqualTo("kubectl exec payments-api-x -n payments -- env");
    assertThat(titles.get(3)).isEqualTo("MEDIUM exec-into-pod");
    assertThat(titles.get(4)).isEqualTo("kubectl delete secrets db-creds -n payments");
    assertThat(titles.get(5)).isEqualTo("prompt to claude-x (POST /v1/messages)");
    assertThat(titles.get(7)).isEqualTo("kubectl");
    assertThat(titles.get(8)).isEqualTo("3 events not recorded (QUEUE_FULL)");
  }

  @Test
  void shouldCarryStatusDecisionDetailAndLinks() {
    JsonArray steps = steps();
    JsonObject get = steps.getJsonObject(0);
    assertThat(get.getInteger("status")).isEqualTo(200);
    assertThat(get.getString("requestId")).isEqualTo(s.listPods);
    assertThat(get.getString("time")).endsWith("Z");
    assertThat(get.getValue("execReplay")).isNull();
    assertThat(get.getJsonArray("alertIds")).isEmpty();

    JsonObject exec = steps.getJsonObject(1);
    assertThat(exec.getInteger("status")).isEqualTo(101);
    assertThat(exec.getJsonArray("alertIds")).containsExactly("alert-exec");
    assertThat(exec.getString("execReplay")).isEqualTo(SessionsScenario.path(s.payments.sessionId()) + "/exec/" + s.exec + ".cast");
    JsonObject stream = steps.getJsonObject(2);
    assertThat(stream.getString("detail")).contains("PATH=/usr/bin").contains("HOME=/root");
    assertThat(stream.getString("execReplay")).isEqualTo(exec.getString("execReplay"));
    assertThat(steps.getJsonObject(3).getString("detail")).isEqualTo("agent-1 exec'd into payments-api-x");

    JsonObject denied = steps.getJsonObject(4);
    assertThat(denied.getInteger("status")).isEqualTo(403);
    assertThat(denied.getJsonObject("decision").getString("effect")).isEqualTo("DENY");
    assertThat(denied.getJsonObject("decision").getString("ruleId")).isEqualTo("no-secret-deletes");
    assertThat(denied.getJsonObject("decision").getString("reason")).isEqualTo("agents may not delete secrets");

    assertThat(steps.getJsonObject(5).getString("detail")).isEqualTo("what pods run in payments?");
    assertThat(steps.getJsonObject(6).getString("detail")).isEqualTo("Let me look.");
    assertThat(steps.getJsonObject(6).getInteger("status")).isEqualTo(200);
    assertThat(new JsonObject(steps.getJsonObject(7).getString("detail")).getString("cmd")).isEqualTo("get pods");
    assertThat(steps.getJsonObject(8).getString("detail")).contains("requests affected");
  }

  @Test
  void shouldReplayTheExecAsAsciicastV2() {
    Http.Reply r = h.http.get(steps().getJsonObject(1).getString("execReplay"), h.analyst());
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    assertThat(r.header("Content-Type")).isEqualTo("application/x-asciicast");
    String[] lines = r.text().split("\n");
    JsonObject header = new JsonObject(lines[0]);
    assertThat(header.getInteger("version")).isEqualTo(2);
    assertThat(header.getInteger("width")).isEqualTo(120);
    assertThat(header.getInteger("height")).isEqualTo(40);
    assertThat(header.getLong("timestamp")).isEqualTo(s.payments.events().get(3).event().getTime().getEpochSecond());
    assertThat(header.getString("title")).isEqualTo("kubectl exec payments-api-x -n payments -- env");
    assertThat(lines).hasSize(4);
    List<Double> times = new ArrayList<>();
    StringBuilder out = new StringBuilder();
    for (int i = 1; i < lines.length; i++) {
      JsonArray line = new JsonArray(lines[i]);
      assertThat(line).hasSize(3);
      times.add(line.getDouble(0));
      assertThat(line.getString(1)).isEqualTo("o");
      out.append(line.getString(2));
    }
    assertThat(times).isSorted().allMatch(t -> t > 0);
    assertThat(times.get(0)).isEqualTo(1.25);
    assertThat(out.toString()).isEqualTo("PATH=/usr/bin\nHOME=/root\nwarning: done\n");
  }

  @Test
  void shouldAnswer404ForACallWithoutExecFrames() {
    Http.Reply r = h.http.get(SessionsScenario.path(s.payments.sessionId()) + "/exec/" + s.listPods + ".cast", h.analyst());
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.body().getJsonObject("error").getString("code")).isEqualTo("not_found");
  }
}
