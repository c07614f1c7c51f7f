package dev.vigil.llmsim;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The OpenAI Chat Completions API as llm-sim serves it. */
class OpenAiApiTest {

  private static final JsonObject TOOL = new JsonObject().put("type", "function").put("function", new JsonObject()
      .put("name", "kubectl").put("parameters", new JsonObject().put("type", "object")));
  private static SimFixture f;

  @BeforeAll
  static void start() {
    f = SimFixture.withKey();
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  private static JsonObject chat(boolean stream, String prompt) {
    return new JsonObject().put("model", "gpt-4o").put("stream", stream).put("tools", new JsonArray().add(TOOL))
        .put("messages", new JsonArray()
            .add(new JsonObject().put("role", "system").put("content", "You operate a Kubernetes cluster."))
            .add(new JsonObject().put("role", "user").put("content", prompt)));
  }

  @Test
  void shouldStreamToolCallDeltasThenUsageThenDone() throws Exception {
    JsonObject body = chat(true, "show me the secrets in namespace payments")
        .put("stream_options", new JsonObject().put("include_usage", true));
    HttpResponse<String> r = f.post("/v1/chat/completions", SimFixture.openAi(), body.encode());

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).hasValue("text/event-stream; charset=utf-8");
    Sse.Parsed parsed = Sse.parse(r.body());
    assertThat(parsed.rest()).isEmpty();
    List<Sse.Event> events = parsed.events();
    assertThat(events).allMatch(e -> e.event() == null);
    assertThat(events.get(events.size() - 1).data()).isEqualTo("[DONE]");
    List<JsonObject> chunks = events.subList(0, events.size() - 1).stream().map(e -> new JsonObject(e.data()))
        .toList();
    assertThat(chunks).allMatch(c -> c.getString("object").equals("chat.completion.chunk"))
        .allMatch(c -> c.getString("id").equals(chunks.get(0).getString("id")));
    assertThat(chunks.get(0).getString("id")).startsWith("chatcmpl-");

    JsonObject first = delta(chunks.get(0));
    assertThat(first.getString("role")).isEqualTo("assistant");
    StringBuilder text = new StringBuilder();
    StringBuilder args = new StringBuilder();
    String callId = null;
    String finish = null;
    for (JsonObject c : chunks.subList(0, chunks.size() - 1)) {
      JsonObject d = delta(c);
      text.append(d.getString("content") == null ? "" : d.getString("content"));
      JsonArray calls = d.getJsonArray("tool_calls");
      if (calls != null) {
        JsonObject call = calls.getJsonObject(0);
        assertThat(call.getInteger("index")).isZero();
        if (call.getString("id") != null) {
          assertThat(callId).as("id only in the first tool_calls delta").isNull();
          callId = call.getString("id");
          assertThat(call.getJsonObject("function").getString("name")).isEqualTo("kubectl");
          assertThat(call.getJsonObject("function").getString("arguments")).isEmpty();
        }
        args.append(call.getJsonObject("function").getString("arguments"));
      }
      finish = c.getJsonArray("choices").getJsonObject(0).getString("finish_reason");
      assertThat(c.containsKey("usage")).isTrue();
      assertThat(c.getValue("usage")).isNull();
    }
    assertThat(callId).startsWith("call_");
    assertThat(new JsonObject(args.toString()).getString("command")).isEqualTo("kubectl get secrets -n payments");
    assertThat(text.toString()).contains("kubectl get secrets -n payments");
    assertThat(finish).isEqualTo("tool_calls");
    JsonObject usageChunk = chunks.get(chunks.size() - 1);
    assertThat(usageChunk.getJsonArray("choices")).isEmpty();
    JsonObject usage = usageChunk.getJsonObject("usage");
    assertThat(usage.getInteger("total_tokens"))
        .isEqualTo(usage.getInteger("prompt_tokens") + usage.getInteger("completion_tokens"));
  }

  @Test
  void shouldAnswerToolResultsWithTextAndStop() throws Exception {
    JsonObject body = chat(false, "events in payments?");
    body.getJsonArray("messages")
        .add(new JsonObject().put("role", "assistant").put("content", null).put("tool_calls", new JsonArray()
            .add(new JsonObject().put("id", "call_1").put("type", "function").put("function", new JsonObject()
                .put("name", "kubectl").put("arguments", "{\"command\":\"kubectl get events -n payments\"}")))))
        .add(new JsonObject().put("role", "tool").put("tool_call_id", "call_1")
            .put("content", "No resources found in payments namespace."));
    HttpResponse<String> r = f.post("/v1/chat/completions", SimFixture.openAi(), body.encode());

    assertThat(r.statusCode()).isEqualTo(200);
    JsonObject completion = new JsonObject(r.body());
    assertThat(completion.getString("object")).isEqualTo("chat.completion");
    JsonObject choice = completion.getJsonArray("choices").getJsonObject(0);
    assertThat(choice.getString("finish_reason")).isEqualTo("stop");
    assertThat(choice.getJsonObject("message").getString("content"))
        .isEqualTo("`kubectl get events -n payments` found nothing: No resources found in payments namespace.");
    assertThat(choice.getJsonObject("message").containsKey("tool_calls")).isFalse();
    assertThat(completion.getJsonObject("usage").getInteger("prompt_tokens")).isPositive();
  }

  @Test
  void shouldReturnToolCallsWithoutStreaming() throws Exception {
    JsonObject completion = new JsonObject(f.post("/v1/chat/completions", SimFixture.openAi(),
        chat(false, "which nodes are there?").encode()).body());
    JsonObject message = completion.getJsonArray("choices").getJsonObject(0).getJsonObject("message");
    JsonObject call = message.getJsonArray("tool_calls").getJsonObject(0);
    assertThat(call.getString("type")).isEqualTo("function");
    assertThat(new JsonObject(call.getJsonObject("function").getString("arguments")).getString("command"))
        .isEqualTo("kubectl get nodes");
    assertThat(completion.getJsonArray("choices").getJsonObject(0).getString("finish_reason"))
        .isEqualTo("tool_calls");
  }

  @Test
  void shouldRefuseAMissingOrWrongBearerWith401InOpenAiFormat() throws Exception {
    Map<String, String> wrong = SimFixture.openAi();
    wrong.put("authorization", "Bearer sk-wrong");
    Map<String, String> missing = SimFixture.openAi();
    missing.remove("authorization");
    String body = chat(false, "pods").encode();

    HttpResponse<String> w = f.post("/v1/chat/completions", wrong, body);
    assertThat(w.statusCode()).isEqualTo(401);
    assertThat(new JsonObject(w.body()).getJsonObject("error").getString("code")).isEqualTo("invalid_api_key");
    assertThat(w.body()).doesNotContain("sk-wrong");
    HttpResponse<String> m = f.post("/v1/chat/completions", missing, body);
    assertThat(m.statusCode()).isEqualTo(401);
    assertThat(new JsonObject(m.body()).getJsonObject("error").getString("type")).isEqualTo("invalid_request_error");
    // the Anthropic key header does not count on the OpenAI API
    Map<String, String> anthropicStyle = SimFixture.openAi();
    anthropicStyle.remove("authorization");
    anthropicStyle.put("x-api-key", SimFixture.KEY);
    assertThat(f.post("/v1/chat/completions", anthropicStyle, body).statusCode()).isEqualTo(401);
  }

  @Test
  void shouldListModelsInOpenAiFormatWithoutAnthropicHeaders() throws Exception {
    JsonObject list = new JsonObject(f.get("/v1/models", SimFixture.openAi()).body());
    assertThat(list.getString("object")).isEqualTo("list");
    assertThat(list.getJsonArray("data").getJsonObject(0).getString("object")).isEqualTo("model");
    HttpResponse<String> missing = f.get("/v1/models/gpt-nope", SimFixture.openAi());
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(new JsonObject(missing.body()).getJsonObject("error").getString("code")).isEqualTo("model_not_found");
  }

  @Test
  void shouldRejectAMissingModelWith400() throws Exception {
    HttpResponse<String> r = f.post("/v1/chat/completions", SimFixture.openAi(),
        new JsonObject().put("messages", new JsonArray()).encode());
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(r.body()).getJsonObject("error").getString("message")).contains("model");
  }

  private static JsonObject delta(JsonObject chunk) {
    return chunk.getJsonArray("choices").getJsonObject(0).getJsonObject("delta");
  }
}
