package dev.vigil.llmsim;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Anthropic Messages API as llm-sim serves it, read with the JDK client and an independent SSE parser. */
class AnthropicApiTest {

  private static SimFixture f;

  @BeforeAll
  static void start() {
    f = SimFixture.withKey();
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  @Test
  void shouldStreamTheRealEventSequenceForTextThenToolUse() throws Exception {
    HttpResponse<String> r = f.post("/v1/messages", SimFixture.anthropic(),
        SimFixture.messages("claude-sonnet-4-5-20250929", true, "Which pods are running in the payments namespace?")
            .encode());

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).hasValue("text/event-stream; charset=utf-8");
    assertThat(r.headers().firstValue("request-id").orElseThrow()).startsWith("req_01");
    Sse.Parsed parsed = Sse.parse(r.body());
    assertThat(parsed.rest()).isEmpty();
    List<JsonObject> data = new ArrayList<>();
    for (Sse.Event e : parsed.events()) {
      JsonObject d = new JsonObject(e.data());
      assertThat(e.event()).as("event: line equals data.type").isEqualTo(d.getString("type"));
      data.add(d);
    }
    List<String> shape = data.stream().map(AnthropicApiTest::shape).distinct().toList();
    assertThat(shape).containsExactly("message_start", "content_block_start:0:text", "ping",
        "content_block_delta:0:text_delta", "content_block_stop:0", "content_block_start:1:tool_use",
        "content_block_delta:1:input_json_delta", "content_block_stop:1", "message_delta", "message_stop");

    JsonObject start = data.get(0).getJsonObject("message");
    assertThat(start.getString("id")).startsWith("msg_01");
    assertThat(start.getString("role")).isEqualTo("assistant");
    assertThat(start.getString("model")).isEqualTo("claude-sonnet-4-5-20250929");
    assertThat(start.getJsonArray("content")).isEmpty();
    assertThat(start.getValue("stop_reason")).isNull();
    assertThat(start.getJsonObject("usage").getInteger("input_tokens")).isGreaterThan(300); // tools cost tokens
    assertThat(start.getJsonObject("usage").getInteger("output_tokens")).isEqualTo(1);

    JsonObject toolStart = data.stream().filter(d -> shape(d).equals("content_block_start:1:tool_use"))
        .findFirst().orElseThrow().getJsonObject("content_block");
    assertThat(toolStart.getString("id")).startsWith("toolu_01");
    assertThat(toolStart.getString("name")).isEqualTo("kubectl");
    assertThat(toolStart.getJsonObject("input")).isEqualTo(new JsonObject());
    List<String> partials = data.stream().filter(d -> shape(d).equals("content_block_delta:1:input_json_delta"))
        .map(d -> d.getJsonObject("delta").getString("partial_json")).toList();
    assertThat(partials.get(0)).isEmpty();
    assertThat(partials.subList(1, partials.size())).hasSizeGreaterThan(2).allMatch(p -> !p.isEmpty());
    assertThat(new JsonObject(String.join("", partials)))
        .isEqualTo(new JsonObject().put("command", "kubectl get pods -n payments"));
    String text = data.stream().filter(d -> shape(d).equals("content_block_delta:0:text_delta"))
        .map(d -> d.getJsonObject("delta").getString("text")).reduce("", String::concat);
    assertThat(text).isEqualTo("I'll run `kubectl get pods -n payments` to find out.");

    JsonObject delta = data.get(data.size() - 2);
    assertThat(delta.getJsonObject("delta").getString("stop_reason")).isEqualTo("tool_use");
    assertThat(delta.getJsonObject("delta").containsKey("stop_sequence")).isTrue();
    assertThat(delta.getJsonObject("usage").getInteger("output_tokens")).isGreaterThan(10);
  }

  @Test
  void shouldAnswerTheSameWithoutStreamingAndCountTheSameInputTokens() throws Exception {
    JsonObject body = SimFixture.messages("claude-haiku-4-5-20251001", false, "list the deployments in kube-system");
    HttpResponse<String> r = f.post("/v1/messages", SimFixture.anthropic(), body.encode());

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
    JsonObject m = new JsonObject(r.body());
    assertThat(m.getString("type")).isEqualTo("message");
    assertThat(m.getString("stop_reason")).isEqualTo("tool_use");
    JsonArray content = m.getJsonArray("content");
    assertThat(content.getJsonObject(0).getString("type")).isEqualTo("text");
    assertThat(content.getJsonObject(1).getJsonObject("input").getString("command"))
        .isEqualTo("kubectl get deployments -n kube-system");
    int input = m.getJsonObject("usage").getInteger("input_tokens");

    body.remove("max_tokens");
    body.remove("stream");
    HttpResponse<String> count = f.post("/v1/messages/count_tokens", SimFixture.anthropic(), body.encode());
    assertThat(count.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(count.body())).isEqualTo(new JsonObject().put("input_tokens", input));
  }

  @Test
  void shouldSummarizeTheToolResultAndEndTheTurn() throws Exception {
    String table = "NAME                            READY   STATUS    RESTARTS   AGE\n"
        + "payments-api-7d9c6b5f4-abcde    1/1     Running   0          5m\n"
        + "ledger-worker-5f7b8c9d6-fghij   2/2     Running   0          5m\n";
    JsonObject body = SimFixture.messages("claude-sonnet-4-5-20250929", false, "Which pods run in payments?");
    body.getJsonArray("messages")
        .add(new JsonObject().put("role", "assistant").put("content", new JsonArray()
            .add(new JsonObject().put("type", "tool_use").put("id", "toolu_1").put("name", "kubectl")
                .put("input", new JsonObject().put("command", "kubectl get pods -n payments")))))
        .add(new JsonObject().put("role", "user").put("content", new JsonArray()
            .add(new JsonObject().put("type", "tool_result").put("tool_use_id", "toolu_1").put("content", table))));

    JsonObject m = new JsonObject(f.post("/v1/messages", SimFixture.anthropic(), body.encode()).body());

    assertThat(m.getString("stop_reason")).isEqualTo("end_turn");
    assertThat(m.getJsonArray("content")).hasSize(1);
    assertThat(m.getJsonArray("content").getJsonObject(0).getString("text")).isEqualTo(
        "`kubectl get pods -n payments` lists 2 items: payments-api-7d9c6b5f4-abcde and "
            + "ledger-worker-5f7b8c9d6-fghij. Status: 2 Running.");
  }

  @Test
  void shouldCutTheReplyAtMaxTokens() throws Exception {
    JsonObject body = SimFixture.messages("claude-sonnet-4-5-20250929", false, "hello").put("max_tokens", 3);
    JsonObject m = new JsonObject(f.post("/v1/messages", SimFixture.anthropic(), body.encode()).body());

    assertThat(m.getString("stop_reason")).isEqualTo("max_tokens");
    assertThat(m.getJsonObject("usage").getInteger("output_tokens")).isEqualTo(3);
    assertThat(m.getJsonArray("content").getJsonObject(0).getString("text")).hasSize(12);
  }

  @Test
  void shouldListAndGetModelsInAnthropicFormat() throws Exception {
    JsonObject list = new JsonObject(f.get("/v1/models", SimFixture.anthropic()).body());
    assertThat(list.getBoolean("has_more")).isFalse();
    assertThat(list.getJsonArray("data").getJsonObject(0).getString("type")).isEqualTo("model");
    assertThat(list.getString("first_id")).isEqualTo("claude-sonnet-4-5-20250929");
    assertThat(list.getJsonArray("data").stream().map(o -> ((JsonObject) o).getString("id")))
        .contains("fault-500", "fault-malformed-sse", "fault-disconnect-mid-stream", "fault-slow-first-byte");

    HttpResponse<String> one = f.get("/v1/models/claude-haiku-4-5-20251001", SimFixture.anthropic());
    assertThat(new JsonObject(one.body()).getString("display_name")).isEqualTo("Claude Haiku 4.5");
    HttpResponse<String> missing = f.get("/v1/models/claude-nope", SimFixture.anthropic());
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(new JsonObject(missing.body()).getJsonObject("error").getString("type")).isEqualTo("not_found_error");
  }

  @Test
  void shouldRefuseAMissingOrWrongKeyWith401InAnthropicFormat() throws Exception {
    Map<String, String> wrong = SimFixture.anthropic();
    wrong.put("x-api-key", "sk-ant-wrong");
    Map<String, String> missing = SimFixture.anthropic();
    missing.remove("x-api-key");
    missing.put("authorization", "Bearer " + SimFixture.KEY); // Anthropic's key header is x-api-key
    String body = SimFixture.messages("claude-sonnet-4-5-20250929", true, "pods?").encode();

    for (Map<String, String> headers : List.of(wrong, missing)) {
      HttpResponse<String> r = f.post("/v1/messages", headers, body);
      assertThat(r.statusCode()).isEqualTo(401);
      assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
      JsonObject e = new JsonObject(r.body());
      assertThat(e.getString("type")).isEqualTo("error");
      assertThat(e.getJsonObject("error").getString("type")).isEqualTo("authentication_error");
      assertThat(r.body()).doesNotContain(SimFixture.KEY).doesNotContain("sk-ant-wrong");
    }
    assertThat(f.get("/v1/models", wrong).statusCode()).isEqualTo(401);
  }

  @Test
  void shouldRejectBadRequestsWith400InvalidRequestError() throws Exception {
    Map<String, String> noVersion = SimFixture.anthropic();
    noVersion.remove("anthropic-version");
    JsonObject good = SimFixture.messages("claude-sonnet-4-5-20250929", false, "pods?");
    JsonObject noMaxTokens = good.copy();
    noMaxTokens.remove("max_tokens");
    JsonObject badRole = good.copy().put("messages", new JsonArray().add(new JsonObject().put("role", "system")
        .put("content", "x")));

    assertInvalid(f.post("/v1/messages", noVersion, good.encode()), "anthropic-version");
    assertInvalid(f.post("/v1/messages", SimFixture.anthropic(), noMaxTokens.encode()), "max_tokens");
    assertInvalid(f.post("/v1/messages", SimFixture.anthropic(), badRole.encode()), "messages.0.role");
    assertInvalid(f.post("/v1/messages", SimFixture.anthropic(), "{not json"), "JSON");
    assertInvalid(f.post("/v1/messages", SimFixture.anthropic(), good.copy().put("max_tokens", "many").encode()),
        "wrong type");
    assertThat(f.get("/v1/messages", SimFixture.anthropic()).statusCode()).isEqualTo(405);
    HttpResponse<String> unknown = f.get("/v1/nothing", SimFixture.anthropic());
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(new JsonObject(unknown.body()).getJsonObject("error").getString("type")).isEqualTo("not_found_error");
  }

  private static void assertInvalid(HttpResponse<String> r, String mentioning) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    JsonObject error = new JsonObject(r.body()).getJsonObject("error");
    assertThat(error.getString("type")).isEqualTo("invalid_request_error");
    assertThat(error.getString("message")).contains(mentioning);
  }

  /** type, and for block events the index and the block / delta type. */
  static String shape(JsonObject d) {
    String type = d.getString("type");
    switch (type) {
      case "content_block_start":
        return type + ":" + d.getInteger("index") + ":" + d.getJsonObject("content_block").getString("type");
      case "content_block_delta":
        return type + ":" + d.getInteger("index") + ":" + d.getJsonObject("delta").getString("type");
      case "content_block_stop":
        return type + ":" + d.getInteger("index");
      default:
        return type;
    }
  }
}
