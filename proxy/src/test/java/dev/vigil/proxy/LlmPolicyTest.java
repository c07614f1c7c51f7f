package dev.vigil.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.vigil.schema.Effect;
import dev.vigil.schema.RequestReceived;
import dev.vigil.schema.ResponseCompleted;
import dev.vigil.schema.VigilEvent;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;

/**
 * LLM calls under a policy ({@code PolicyGate.decideLlm}: channel LLM, verb create): a deny rule answers 403 in the
 * provider's format; {@code recording: strict} forwards only acknowledged calls, as on the Kubernetes channel.
 */
class LlmPolicyTest {

  static final String POLICY = """
      defaultEffect: allow
      rules:
        - id: no-llm-for-interns
          effect: deny
          reason: interns may not call models
          channels: [LLM]
          usernames: [intern-1]
        - id: strict-llm
          effect: allow
          channels: [LLM]
          usernames: [agent-strict]
          verbs: [create]
          recording: strict
      """;
  static final String PROMPT = "{\"model\":\"claude-3-5-haiku-latest\",\"max_tokens\":16,"
      + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  @TempDir
  static Path dir;
  static LlmFixture f;
  static final StrictRecordingTest.ControlledSink sink = new StrictRecordingTest.ControlledSink();

  @BeforeAll
  static void start() throws Exception {
    Path policy = dir.resolve("policy.yaml");
    Files.writeString(policy, POLICY, StandardCharsets.UTF_8);
    f = new LlmFixture(dir, Map.of(ProxyConfig.POLICY_FILE, policy.toString(),
        ProxyConfig.RECORDING_STRICT_TIMEOUT, "500ms"), sink);
  }

  @AfterAll
  static void stop() throws Exception {
    f.close();
  }

  @BeforeEach
  void reset() {
    sink.mode = StrictRecordingTest.ControlledSink.Mode.ACK;
    sink.offered.clear();
    f.upstream.clear();
    f.upstream.script((req, body) -> FakeLlmUpstream.json(req, 200, LlmGatewayTest.MESSAGE));
  }

  private static RequestReceived received() throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      for (VigilEvent e : sink.offered) {
        if (e.getPayload() instanceof RequestReceived rr) {
          return rr;
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no RequestReceived offered");
  }

  @Test
  void shouldDenyWithThePolicyInTheProvidersFormat() throws Exception {
    LlmFixture.Received r = f.call(HttpMethod.POST, "/llm/anthropic/v1/messages", f.bearer(f.gw.mint("intern-1")),
        PROMPT);

    assertThat(r.status()).isEqualTo(403);
    JsonObject error = new JsonObject(r.body()).getJsonObject("error");
    assertThat(error.getString("type")).isEqualTo("permission_error");
    assertThat(error.getString("message")).contains("no-llm-for-interns").contains("interns may not call models");
    assertThat(f.upstream.seen()).isEmpty();
    RequestReceived rr = received();
    assertThat(rr.getDecision().getEffect()).isEqualTo(Effect.DENY);
    assertThat(rr.getDecision().getRuleId()).isEqualTo("no-llm-for-interns");
    assertThat(new JsonObject(rr.getBody().getContent())).isEqualTo(new JsonObject(PROMPT));
  }

  @Test
  void shouldNotForwardAStrictCallWhoseRecordIsNotAcknowledged() throws Exception {
    sink.mode = StrictRecordingTest.ControlledSink.Mode.NEVER;
    long t0 = System.nanoTime();
    LlmFixture.Received r = f.call(HttpMethod.POST, "/llm/anthropic/v1/messages", f.bearer(f.gw.mint("agent-strict")),
        PROMPT);

    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(450));
    assertThat(r.status()).isEqualTo(503);
    assertThat(new JsonObject(r.body()).getJsonObject("error").getString("type")).isEqualTo("overloaded_error");
    assertThat(f.upstream.seen()).isEmpty();
    assertThat(received().getDecision().getStrict()).isTrue();
  }

  @Test
  void shouldForwardAnAcknowledgedStrictCallAndOthersAsBestEffort() throws Exception {
    assertThat(f.call(HttpMethod.POST, "/llm/anthropic/v1/messages", f.bearer(f.gw.mint("agent-strict")), PROMPT)
        .status()).isEqualTo(200);
    assertThat(received().getDecision().getStrict()).isTrue();
    assertThat(received().getDecision().getRuleId()).isEqualTo("strict-llm");

    sink.offered.clear();
    sink.mode = StrictRecordingTest.ControlledSink.Mode.NEVER; // best effort: not waited for
    assertThat(f.call(HttpMethod.POST, "/llm/openai/v1/chat/completions", f.bearer(f.gw.mint("agent-1")),
        "{\"model\":\"gpt-4o-mini\",\"messages\":[]}").status()).isEqualTo(200);
    assertThat(received().getDecision().getStrict()).isFalse();
    assertThat(f.upstream.seen()).hasSize(2);
    assertThat(sink.offered).anySatisfy(e -> assertThat(e.getPayload()).isInstanceOf(ResponseCompleted.class));
  }
}
