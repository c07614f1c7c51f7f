package dev.vigil.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.vigil.schema.Channel;
import dev.vigil.schema.Effect;
import dev.vigil.schema.LlmRequestInfo;
import dev.vigil.schema.RequestReceived;
import dev.vigil.schema.ResponseCompleted;
import dev.vigil.schema.ResponseOutcome;
import dev.vigil.schema.VigilEvent;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;

/** The LLM channel end to end with non-streamed calls: routes, credentials, sessions, recording, limits. */
class LlmGatewayTest {

  static final String MESSAGE = "{\"id\":\"msg_01\",\"type\":\"message\",\"role\":\"assistant\",\"model\":"
      + "\"claude-3-5-haiku-20241022\",\"content\":[{\"type\":\"text\",\"text\":\"Hi!\"}],\"stop_reason\":\"end_turn\","
      + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":9,\"output_tokens\":3}}";
  static final String PROMPT = "{\"model\":\"claude-3-5-haiku-20241022\",\"max_tokens\":64,"
      + "\"messages\":[{\"role\":\"user\",\"content\":\"Say hi\"}]}";

  @TempDir
  static Path dir;
  static LlmFixture f;
  static String token;

  @BeforeAll
  static void start() throws Exception {
    f = new LlmFixture(dir, Map.of("vigil.proxy.llm.max-request-body-bytes", "4096",
        "vigil.proxy.llm.stream-idle-timeout", "1s"), null);
    token = f.gw.mint("agent-1");
  }

  @AfterAll
  static void stop() throws Exception {
    f.close();
  }

  @BeforeEach
  void reset() {
    f.sink.clear();
    f.upstream.clear();
    f.gw.kubeSim.clearRequests();
    f.upstream.script((req, body) -> FakeLlmUpstream.json(req, 200, MESSAGE));
  }

  @Test
  void shouldRelayAnAnthropicMessageWithTheGatewaysKeyAndRecordIt() throws Exception {
    LlmFixture.Received r = f.call(HttpMethod.POST, "/llm/anthropic/v1/messages?beta=true",
        f.bearer(token).add("anthropic-beta", "tools-2024-05-16").add("Cookie", "c=1").add("Impersonate-User", "admin")
            .add("X-Forwarded-For", "10.0.0.1"), PROMPT);

    assertThat(r.status()).isEqualTo(200);
    assertThat(new JsonObject(r.body())).isEqualTo(new JsonObject(MESSAGE));
    assertThat(r.headers().get("request-id")).isEqualTo("req_fake_1");
    assertThat(r.headers().contains("set-cookie")).isFalse();
    FakeLlmUpstream.Seen seen = f.upstream.seen().get(0);
    assertThat(seen.uri()).isEqualTo("/v1/messages?beta=true");
    assertThat(seen.body()).isEqualTo(PROMPT);
    assertThat(seen.headers().get("x-api-key")).isEqualTo(LlmFixture.ANTHROPIC_KEY);
    assertThat(seen.headers().get("anthropic-version")).isEqualTo("2023-06-01");
    assertThat(seen.headers().get("anthropic-beta")).isEqualTo("tools-2024-05-16");
    assertThat(seen.headers().get("accept-encoding")).isEqualTo("identity");
    for (String h : new String[] {"Authorization", "Cookie", "Impersonate-User", "X-Forwarded-For", "X-Vigil-Session"}) {
      assertThat(seen.headers().contains(h)).as(h).isFalse();
    }

    List<VigilEvent> events = f.awaitCall();
    assertThat(events).hasSize(2).allSatisfy(e -> {
      assertThat(e.getChannel()).isEqualTo(Channel.LLM);
      assertThat(e.getSessionKey()).isEqualTo("agent-1");
      assertThat(e.getRequest().getPath()).isEqualTo("/llm/anthropic/v1/messages");
      assertThat(e.getRequest().getQuery()).isEqualTo("beta=true");
      assertThat(e.getRequest().getKubernetes()).isNull();
      assertThat(e.getRequest().getLlm()).isEqualTo(LlmRequestInfo.newBuilder().setProvider("anthropic")
          .setOperation("messages").setModel("claude-3-5-haiku-20241022").setStream(false).build());
    });
    RequestReceived rr = LlmFixture.request(events);
    assertThat(rr.getDecision().getEffect()).isEqualTo(Effect.ALLOW);
    assertThat(new JsonObject(rr.getBody().getContent())).isEqualTo(new JsonObject(PROMPT));
    assertThat(rr.getHeaders()).doesNotContainKeys("authorization", "cookie", "x-api-key", "impersonate-user");
    ResponseCompleted rc = LlmFixture.completed(events);
    assertThat(rc.getStatus()).isEqualTo(200);
    assertThat(rc.getOutcome()).isEqualTo(ResponseOutcome.COMPLETED);
    assertThat(new JsonObject(rc.getBody().getContent())).isEqualTo(new JsonObject(MESSAGE));
    assertThat(rc.getHeaders()).doesNotContainKey("set-cookie");
  }

  @Test
  void shouldTakeTheTokenFromXApiKeyAndNeverForwardIt() throws Exception {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("x-api-key", token).add("content-type", "application/json");
    LlmFixture.Received r = f.call(HttpMethod.POST, "/llm/anthropic/v1/messages/count_tokens", headers, PROMPT);

    assertThat(r.status()).isEqualTo(200);
    FakeLlmUpstream.Seen seen = f.upstream.seen().get(0);
    assertThat(seen.uri()).isEqualTo("/v1/messages/count_tokens");
    assertThat(seen.headers().getAll("x-api-key")).containsExactly(LlmFixture.ANTHROPIC_KEY);
    assertThat(seen.headers().contains("Authorization")).isFalse();
    List<VigilEvent> events = f.awaitCall();
    assertThat(events.get(0).getRequest().getLlm().getOperation()).isEqualTo("count_tokens");
    assertThat(LlmFixture.request(events).getHeaders()).doesNotContainKey("x-api-key");
    assertThat(events.toString()).doesNotContain(token).doesNotContain(LlmFixture.ANTHROPIC_KEY);
  }

  @Test
  void shouldRelayOpenAiChatCompletionsWithTheGatewaysBearerKey() throws Exception {
    String completion = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"model\":\"gpt-4o-mini\",\"choices\":"
        + "[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hi\"},\"finish_reason\":\"stop\"}]}";
    f.upstream.script((req, body) -> FakeLlmUpstream.json(req, 200, completion));
    LlmFixture.Received r = f.call(HttpMethod.POST, "/llm/openai/v1/chat/completions", f.bearer(token),
        "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

    assertThat(r.status()).isEqualTo(200);
    assertThat(new JsonObject(r.body())).isEqualTo(new JsonObject(completion));
    FakeLlmUpstream.Seen seen = f.upstream.seen().get(0);
    assertThat(seen.uri()).isEqualTo("/openai/v1/chat/completions");
    assertThat(seen.headers().getAll("Authorization")).containsExactly("Bearer " + LlmFixture.OPENAI_KEY);
    assertThat(seen.headers().contains("anthropic-version")).isFalse();
    List<VigilEvent> events = f.awaitCall();
    assertThat(events.get(0).getRequest().getLlm()).isEqualTo(LlmRequestInfo.newBuilder().setProvider("openai")
        .setOperation("chat.completions").setModel("gpt-4o-mini").setStream(false).build());
    assertThat(new JsonObject(LlmFixture.completed(events).getBody().getContent())).isEqualTo(new JsonObject(completion));
  }

  @Test
  void shouldRelayModelListsAndTheModelOfAModelLookup() throws Exception {
    f.upstream.script((req, body) -> FakeLlmUpstream.json(req, 200, "{\"data\":[],\"has_more\":false}"));
    assertThat(f.call(HttpMethod.GET, "/llm/anthropic/v1/models/claude-3-5-haiku-20241022", f.bearer(token), null)
        .status()).isEqualTo(200);

    assertThat(f.upstream.seen().get(0).uri()).isEqualTo("/v1/models/claude-3-5-haiku-20241022");
    LlmRequestInfo info = f.awaitCall().get(0).getRequest().getLlm();
    assertThat(info.getOperation()).isEqualTo("models");
    assertThat(info.getModel()).isEqualTo("claude-3-5-haiku-20241022");
  }

  @Test
  void shouldRefuseACallWithoutAValidTokenInTheProvidersFormat() throws Exception {
    MultiMap none = MultiMap.caseInsensitiveMultiMap().add("content-type", "application/json");
    LlmFixture.Received anthropic = f.call(HttpMethod.POST, "/llm/anthropic/v1/messages", none, PROMPT);
    LlmFixture.Received openai = f.call(HttpMethod.POST, "/llm/openai/v1/chat/completions",
        MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer not-a-jwt"), PROMPT);

    assertThat(anthropic.status()).isEqualTo(401);
    assertThat(new JsonObject(anthropic.body()).getJsonObject("error").getString("type"))
        .isEqualTo("authentication_error");
    assertThat(openai.status()).isEqualTo(401);
    assertThat(new JsonObject(openai.body()).getJsonObject("error").getString("code")).isEqualTo("invalid_api_key");
    assertThat(openai.body()).doesNotContain("not-a-jwt");
    assertThat(f.upstream.seen()).isEmpty();
    List<VigilEvent> denied = f.sink.await(e -> e.getPayload() instanceof ResponseCompleted, 2,
        java.time.Duration.ofSeconds(10));
    assertThat(denied).hasSize(2);
    List<RequestReceived> requests = f.sink.events().stream().map(VigilEvent::getPayload)
        .filter(RequestReceived.class::isInstance).map(RequestReceived.class::cast).toList();
    assertThat(requests).allSatisfy(rr -> {
      assertThat(rr.getDecision().getEffect()).isEqualTo(Effect.DENY);
      assertThat(rr.getDecision().getRuleId()).isEqualTo("authentication");
    });
    assertThat(f.sink.events()).allSatisfy(e -> {
      assertThat(e.getSessionKey()).isEqualTo("anonymous");
      assertThat(e.getChannel()).isEqualTo(Channel.LLM);
      assertThat(e.getRequest().getLlm().getOperation()).isIn("messages", "chat.completions");
    });
  }

  @Test
  void shouldPutTheCallInTheNamedSessionAndRefuseABadSessionName() throws Exception {
    assertThat(f.call(HttpMethod.POST, "/llm/anthropic/v1/messages", f.bearer(token).add("X-Vigil-Session", "task-7"),
        PROMPT).status()).isEqualTo(200);
    assertThat(f.awaitCall()).allSatisfy(e -> assertThat(e.getSessionKey()).isEqualTo("agent-1/task-7"));
    assertThat(f.upstream.seen().get(0).headers().contains("X-Vigil-Session")).isFalse();

    f.sink.clear();
    LlmFixture.Received bad = f.call(HttpMethod.POST, "/llm/anthropic/v1/messages",
        f.bearer(token).add("X-Vigil-Session", "no spaces"), PROMPT);
    assertThat(bad.status()).isEqualTo(400);
    assertThat(new JsonObject(bad.body()).getJsonObject("error").getString("type")).isEqualTo("invalid_request_error");
    List<VigilEvent> events = f.awaitCall();
    assertThat(LlmFixture.request(events).getDecision().getRuleId()).isEqualTo("request-validation");
    assertThat(events.get(0).getSessionKey()).isEqualTo("agent-1");
  }

  @Test
  void shouldRefuseBodiesOverTheLimitWith413BeforeForwarding() throws Exception {
    String big = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "x".repeat(5000) + "\"}]}";
    LlmFixture.Received declared = f.call(HttpMethod.POST, "/llm/anthropic/v1/messages", f.bearer(token), big);
    LlmFixture.Received chunked = f.call(HttpMethod.POST, "/llm/openai/v1/chat/completions",
        f.bearer(token).add("Transfer-Encoding", "chunked"), big);

    assertThat(declared.status()).isEqualTo(413);
    assertThat(new JsonObject(declared.body()).getJsonObject("error").getString("type")).isEqualTo("request_too_large");
    assertThat(chunked.status()).isEqualTo(413);
    assertThat(new JsonObject(chunked.body()).getJsonObject("error").getString("code")).isEqualTo("request_too_large");
    assertThat(f.upstream.seen()).isEmpty();
    assertThat(f.sink.await(e -> e.getPayload() instanceof RequestReceived rr
        && "request-size".equals(rr.getDecision().getRuleId()), 2, java.time.Duration.ofSeconds(10))).hasSize(2);
  }

  @Test
  void shouldAnswerUnknownRoutesAndMethodsInTheProvidersFormat() throws Exception {
    LlmFixture.Received unknown = f.call(HttpMethod.POST, "/llm/anthropic/v1/complete", f.bearer(token), PROMPT);
    LlmFixture.Received method = f.call(HttpMethod.GET, "/llm/openai/v1/chat/completions", f.bearer(token), null);
    LlmFixture.Received provider = f.call(HttpMethod.POST, "/llm/mistral/v1/chat", f.bearer(token), PROMPT);
    LlmFixture.Received dots = f.call(HttpMethod.POST, "/llm/anthropic/v1/x/../messages", f.bearer(token), PROMPT);

    assertThat(unknown.status()).isEqualTo(404);
    assertThat(new JsonObject(unknown.body()).getJsonObject("error").getString("type")).isEqualTo("not_found_error");
    assertThat(method.status()).isEqualTo(405);
    assertThat(method.headers().get("Allow")).isEqualTo("POST");
    assertThat(new JsonObject(method.body()).getJsonObject("error").getString("type")).isEqualTo("invalid_request_error");
    assertThat(provider.status()).isEqualTo(404);
    assertThat(dots.status()).isEqualTo(404);
    assertThat(f.upstream.seen()).isEmpty();
    assertThat(f.gw.kubeSim.requests()).as("never the Kubernetes path").isEmpty();
  }

  @Test
  void shouldRefuseARequestBodyThatIsNotAJsonObject() throws Exception {
    LlmFixture.Received r = f.call(HttpMethod.POST, "/llm/anthropic/v1/messages", f.bearer(token), "[1,2]");

    assertThat(r.status()).isEqualTo(400);
    assertThat(f.upstream.seen()).isEmpty();
    assertThat(LlmFixture.request(f.awaitCall()).getBody().getContent()).isEqualTo("[1,2]");
  }

  @Test
  void shouldRelayTheProvidersOwnErrorsWithTheirStatus() throws Exception {
    String error = "{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"Internal server error\"}}";
    f.upstream.script((req, body) -> FakeLlmUpstream.json(req, 500, error));
    LlmFixture.Received r = f.call(HttpMethod.POST, "/llm/anthropic/v1/messages", f.bearer(token), PROMPT);

    assertThat(r.status()).isEqualTo(500);
    assertThat(new JsonObject(r.body())).isEqualTo(new JsonObject(error));
    ResponseCompleted rc = LlmFixture.completed(f.awaitCall());
    assertThat(rc.getStatus()).isEqualTo(500);
    assertThat(rc.getOutcome()).isEqualTo(ResponseOutcome.COMPLETED);
    assertThat(rc.getBody().getContent()).isEqualTo(error);
  }

  @Test
  void shouldAnswer504WhenTheProviderIsSilentForTheIdleTimeout() throws Exception {
    f.upstream.script((req, body) -> { }); // never answers
    long start = System.nanoTime();
    LlmFixture.Received r = f.call(HttpMethod.POST, "/llm/anthropic/v1/messages", f.bearer(token), PROMPT);

    assertThat(r.status()).isEqualTo(504);
    assertThat(java.time.Duration.ofNanos(System.nanoTime() - start)).isLessThan(java.time.Duration.ofSeconds(10));
    assertThat(new JsonObject(r.body()).getJsonObject("error").getString("type")).isEqualTo("api_error");
    VigilEvent terminal = f.awaitCall().get(1);
    assertThat(terminal.getPayload()).isInstanceOfSatisfying(dev.vigil.schema.UpstreamError.class, e -> {
      assertThat(e.getErrorType()).isEqualTo("TIMEOUT");
      assertThat(e.getStatusToClient()).isEqualTo(504);
    });
  }
}
