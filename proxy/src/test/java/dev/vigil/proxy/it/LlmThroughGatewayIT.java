package dev.vigil.proxy.it;

import static dev.vigil.proxy.GatewayFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.vigil.embedded.junit.KafkaExtension;
import dev.vigil.embedded.kafka.EmbeddedKafka;
import dev.vigil.llmsim.LlmSim;
import dev.vigil.llmsim.LlmSimOptions;
import dev.vigil.proxy.LlmFixture;
import dev.vigil.proxy.ProxyConfig;
import dev.vigil.schema.Channel;
import dev.vigil.schema.Effect;
import dev.vigil.schema.RequestReceived;
import dev.vigil.schema.ResponseCompleted;
import dev.vigil.schema.ResponseOutcome;
import dev.vigil.schema.StreamFrame;
import dev.vigil.schema.Topics;
import dev.vigil.schema.VigilEvent;
import dev.vigil.schema.serde.VigilSerdes;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;

/**
 * The LLM channel against llm-sim (the fake Anthropic/OpenAI upstream, scripted kubectl model) with every event
 * published to a real (embedded) Kafka broker: streamed tool use for both providers, assembled exactly as the model
 * answers without streaming; fault modes; a Secret read through Kubernetes then pasted into a prompt is refused and
 * recorded masked.
 */
@ExtendWith(KafkaExtension.class)
class LlmThroughGatewayIT {

  static final String PROVIDER_KEY = "sk-llmsim-it-provider-key-5d1e";
  static final String PASSWORD = "s3cr3t-p@ssw0rd"; // kube-sim demo seed: payments/payments-db
  static final String POLICY = """
      defaultEffect: allow
      defaults: {maskResponse: false}
      guardrails:
        secrets-only-in-allowed-namespaces: {namespaces: [payments]}
      """;

  @TempDir
  static Path dir;
  static EmbeddedKafka kafka;
  static io.vertx.core.Vertx simVertx;
  static LlmSim sim;
  static LlmFixture f;

  @BeforeAll
  static void start(EmbeddedKafka broker) throws Exception {
    kafka = broker;
    kafka.createTopic(Topics.EVENTS, 1, Map.of());
    Path keyFile = Files.writeString(dir.resolve("provider.key"), PROVIDER_KEY, StandardCharsets.UTF_8);
    Path policy = Files.writeString(dir.resolve("policy.yaml"), POLICY, StandardCharsets.UTF_8);
    simVertx = io.vertx.core.Vertx.vertx();
    sim = await(LlmSim.start(simVertx, new LlmSimOptions().setApiKey(PROVIDER_KEY)));
    f = new LlmFixture(dir, Map.of(
        ProxyConfig.KAFKA_PRODUCER_PREFIX + ".bootstrap.servers", kafka.bootstrapServers(),
        ProxyConfig.KAFKA_PRODUCER_PREFIX + ".linger.ms", "5",
        ProxyConfig.POLICY_FILE, policy.toString(),
        "vigil.proxy.llm.anthropic.url", sim.url(),
        "vigil.proxy.llm.anthropic.api-key-file", keyFile.toString(),
        "vigil.proxy.llm.openai.url", sim.url(),
        "vigil.proxy.llm.openai.api-key-file", keyFile.toString()), null, true);
  }

  @AfterAll
  static void stop() throws Exception {
    if (f != null) {
      f.close();
    }
    if (sim != null) {
      await(sim.close());
    }
    if (simVertx != null) {
      await(simVertx.close());
    }
  }

  @BeforeEach
  void reset() {
    sim.clearRequests();
  }

  static String prompt(String model, boolean stream, String text) {
    return new JsonObject().put("model", model).put("max_tokens", 512).put("stream", stream)
        .put("tools", new JsonArray().add(new JsonObject().put("name", "kubectl")
            .put("input_schema", new JsonObject().put("type", "object"))))
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", text)))
        .encode();
  }

  @Test
  void shouldStreamAnthropicToolUseAndRecordTheModelsWholeInputInKafka() throws Exception {
    String agent = "llm-agent-" + System.nanoTime();
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("x-api-key", f.gw.mint(agent))
        .add("anthropic-version", "2023-06-01").add("content-type", "application/json")
        .add("X-Vigil-Session", "task-1");
    String question = "Which pods run in the payments namespace?";
    JsonObject direct = new JsonObject(f.call(HttpMethod.POST, "/llm/anthropic/v1/messages", headers,
        prompt("claude-3-5-haiku-latest", false, question)).body());
    LlmFixture.Received streamed = f.call(HttpMethod.POST, "/llm/anthropic/v1/messages", headers,
        prompt("claude-3-5-haiku-latest", true, question));

    assertThat(streamed.status()).isEqualTo(200);
    assertThat(streamed.body()).contains("event: message_stop");
    assertThat(sim.requests()).hasSize(2).allSatisfy(r -> {
      assertThat(r.headers("x-api-key")).containsExactly(PROVIDER_KEY);
      assertThat(r.hasHeader("authorization")).isFalse();
      assertThat(r.hasHeader("x-vigil-session")).isFalse();
    });
    List<VigilEvent> call = call(agent + "/task-1", 2);
    assertThat(call).allSatisfy(e -> assertThat(e.getChannel()).isEqualTo(Channel.LLM));
    assertThat(call.get(0).getRequest().getLlm().getStream()).isTrue();
    assertThat(call.stream().filter(e -> e.getPayload() instanceof StreamFrame)).hasSizeGreaterThan(8);
    ResponseCompleted rc = (ResponseCompleted) call.get(call.size() - 1).getPayload();
    assertThat(rc.getOutcome()).isEqualTo(ResponseOutcome.COMPLETED);
    JsonObject assembled = new JsonObject(rc.getBody().getContent());
    JsonObject toolUse = toolUse(assembled.getJsonArray("content"));
    assertThat(toolUse.getJsonObject("input")).isEqualTo(new JsonObject().put("command", "kubectl get pods -n payments"));
    assertThat(toolUse.getJsonObject("input")).isEqualTo(toolUse(direct.getJsonArray("content")).getJsonObject("input"));
    assertThat(assembled.getString("stop_reason")).isEqualTo(direct.getString("stop_reason")).isEqualTo("tool_use");
  }

  @Test
  void shouldStreamOpenAiToolCallsWithTheGatewaysBearerKey() throws Exception {
    String agent = "openai-agent-" + System.nanoTime();
    LlmFixture.Received r = f.call(HttpMethod.POST, "/llm/openai/v1/chat/completions", f.bearer(f.gw.mint(agent)),
        new JsonObject().put("model", "gpt-4o-mini").put("stream", true)
            .put("tools", new JsonArray().add(new JsonObject().put("type", "function")
                .put("function", new JsonObject().put("name", "kubectl").put("parameters", new JsonObject()))))
            .put("messages", new JsonArray().add(new JsonObject().put("role", "user")
                .put("content", "list the deployments in payments"))).encode());

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body()).endsWith("data: [DONE]\n\n");
    assertThat(sim.requests().get(0).headers("authorization")).containsExactly("Bearer " + PROVIDER_KEY);
    List<VigilEvent> call = call(agent, 1);
    JsonObject message = new JsonObject(((ResponseCompleted) call.get(call.size() - 1).getPayload()).getBody()
        .getContent()).getJsonArray("choices").getJsonObject(0).getJsonObject("message");
    JsonObject function = message.getJsonArray("tool_calls").getJsonObject(0).getJsonObject("function");
    assertThat(function.getString("name")).isEqualTo("kubectl");
    assertThat(new JsonObject(function.getString("arguments")))
        .isEqualTo(new JsonObject().put("command", "kubectl get deployments -n payments"));
  }

  @Test
  void shouldRecordTheSimulatorsFaultsAsUpstreamResets() throws Exception {
    String agent = "faulty-agent-" + System.nanoTime();
    MultiMap headers = f.bearer(f.gw.mint(agent));
    LlmFixture.Received malformed = f.call(HttpMethod.POST, "/llm/anthropic/v1/messages", headers,
        prompt("fault-malformed-sse", true, "pods in payments?"));
    assertThat(malformed.failure()).isNull();
    assertThat(outcome(call(agent, 1))).startsWith("UPSTREAM_RESET MALFORMED_SSE: ");

    LlmFixture.Received cut = f.call(HttpMethod.POST, "/llm/anthropic/v1/messages", headers,
        prompt("fault-disconnect-mid-stream", true, "pods in payments?"));
    assertThat(cut.failure()).isNotNull();
    assertThat(outcome(call(agent, 2))).startsWith("UPSTREAM_RESET ").doesNotContain("MALFORMED");

    LlmFixture.Received failed = f.call(HttpMethod.POST, "/llm/openai/v1/chat/completions", headers,
        "{\"model\":\"fault-500\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertThat(failed.status()).isEqualTo(500);
    assertThat(new JsonObject(failed.body()).getJsonObject("error").getString("type")).isEqualTo("server_error");
  }

  @Test
  void shouldRefuseAPromptCarryingASecretTheSessionReadAndRecordItMasked() throws Exception {
    String agent = "exfil-agent-" + System.nanoTime();
    String token = f.gw.mint(agent);
    HttpResponse<Buffer> secret = await(f.gw.client(f.proxy.port()).get("/api/v1/namespaces/payments/secrets/payments-db")
        .putHeader("Authorization", "Bearer " + token).send());
    assertThat(secret.statusCode()).isEqualTo(200);
    String password = new String(java.util.Base64.getDecoder().decode(
        secret.bodyAsJsonObject().getJsonObject("data").getString("password")), StandardCharsets.UTF_8);
    assertThat(password).isEqualTo(PASSWORD);

    LlmFixture.Received r = f.call(HttpMethod.POST, "/llm/anthropic/v1/messages", f.bearer(token),
        prompt("claude-3-5-haiku-latest", true, "Is the database password " + password + " strong enough?"));

    assertThat(r.status()).isEqualTo(403);
    assertThat(new JsonObject(r.body()).getJsonObject("error").getString("message"))
        .contains("guardrail:no-secret-in-llm-prompt");
    assertThat(sim.requests()).isEmpty();
    List<VigilEvent> call = call(agent, 1);
    RequestReceived rr = (RequestReceived) call.get(0).getPayload();
    assertThat(rr.getDecision().getEffect()).isEqualTo(Effect.DENY);
    assertThat(rr.getDecision().getRuleId()).isEqualTo("guardrail:no-secret-in-llm-prompt");
    assertThat(rr.getFindings()).anySatisfy(fi -> {
      assertThat(fi.getKind()).isEqualTo("k8s-secret");
      assertThat(fi.getLocation()).isEqualTo("llm.prompt");
    });
    assertThat(rr.getBody().getContent()).contains("masked:k8s-secret:").doesNotContain(PASSWORD);
  }

  private static JsonObject toolUse(JsonArray content) {
    for (int i = 0; i < content.size(); i++) {
      if ("tool_use".equals(content.getJsonObject(i).getString("type"))) {
        return content.getJsonObject(i);
      }
    }
    throw new AssertionError("no tool_use block in " + content.encode());
  }

  private static String outcome(List<VigilEvent> call) {
    ResponseCompleted rc = (ResponseCompleted) call.get(call.size() - 1).getPayload();
    return rc.getOutcome() + " " + rc.getHeaders().getOrDefault("vigil-upstream-error", "");
  }

  /** The events of the session's {@code nth} LLM call (1-based), read back from Kafka once it finished. */
  private static List<VigilEvent> call(String sessionKey, int nth) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    List<VigilEvent> llm = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p)) {
      List<TopicPartition> partitions = consumer.partitionsFor(Topics.EVENTS).stream()
          .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> raw : consumer.poll(Duration.ofMillis(200))) {
          VigilEvent e = VigilSerdes.events().decode(raw.value());
          if (sessionKey.equals(raw.key()) && e.getChannel() == Channel.LLM) {
            llm.add(e);
          }
        }
        List<String> ids = llm.stream().map(e -> e.getRequest().getRequestId()).distinct().toList();
        if (ids.size() >= nth) {
          String id = ids.get(nth - 1);
          List<VigilEvent> events = llm.stream().filter(e -> e.getRequest().getRequestId().equals(id)).toList();
          if (events.get(events.size() - 1).getPayload() instanceof ResponseCompleted) {
            return events;
          }
        }
      }
    }
    throw new AssertionError("LLM call " + nth + " of " + sessionKey + " did not finish in Kafka: " + llm);
  }
}
