package dev.vigil.proxy;

import static dev.vigil.proxy.GatewayFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.vigil.schema.Effect;
import dev.vigil.schema.Finding;
import dev.vigil.schema.RequestReceived;
import dev.vigil.schema.ResponseCompleted;
import dev.vigil.schema.ResponseOutcome;
import dev.vigil.schema.StreamFrame;
import dev.vigil.schema.VigilEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;

/**
 * The policy's {@code record: full | metadata | off} through the gateway against kube-sim: metadata records every
 * event without bodies (their findings kept) and no stream frames; off records nothing for an allowed call, but a
 * denied call is always recorded.
 */
class RecordModeTest {

  static final String METADATA_POLICY = """
      defaultEffect: allow
      defaults: {record: metadata}
      guardrails:
        secrets-only-in-allowed-namespaces: {namespaces: [payments]}
      rules:
        - id: quiet-kube-system-reads
          effect: allow
          verbs: [get, list]
          resources: [configmaps]
          namespaces: [kube-system]
          record: off
        - id: no-kube-system-deletes
          effect: deny
          reason: agents do not delete in kube-system
          verbs: [delete]
          resources: ["*"]
          namespaces: [kube-system]
          record: off
        - id: full-default
          effect: allow
          verbs: ["*"]
          resources: ["*"]
          namespaces: [default]
          record: full
      """;

  static final String OFF_POLICY = """
      defaultEffect: deny
      defaults: {record: "off"}
      rules:
        - id: read-configmaps
          effect: allow
          verbs: [get, list]
          resources: [configmaps]
      """;

  @TempDir
  static Path dir;
  static GatewayFixture fx;
  static final InMemorySink sink = new InMemorySink();
  static final InMemorySink offSink = new InMemorySink();
  static VigilProxy offGateway;
  static String token;

  @BeforeAll
  static void start() throws Exception {
    fx = new GatewayFixture(dir);
    fx.startProxy(fx.settings(Map.of(ProxyConfig.POLICY_FILE, write("metadata.yaml", METADATA_POLICY).toString())), sink);
    offGateway = fx.startProxy(fx.settings(Map.of(ProxyConfig.POLICY_FILE, write("off.yaml", OFF_POLICY).toString(),
        ProxyConfig.GATEWAY_ID, "off-gateway")), offSink);
    token = fx.mint("agent-1");
  }

  @AfterAll
  static void stop() throws Exception {
    if (fx != null) {
      fx.close();
    }
  }

  static Path write(String name, String content) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, content, StandardCharsets.UTF_8);
    return p;
  }

  /** The events of the last call on {@code path}, once its terminal event (ResponseCompleted) was recorded. */
  static List<VigilEvent> call(InMemorySink s, String method, String path) throws InterruptedException {
    List<VigilEvent> received = s.await(e -> e.getPayload() instanceof RequestReceived
        && e.getRequest().getMethod().equals(method) && e.getRequest().getPath().equals(path), 1, Duration.ofSeconds(10));
    assertThat(received).as("RequestReceived of " + method + " " + path).isNotEmpty();
    String id = received.get(received.size() - 1).getRequest().getRequestId();
    s.await(e -> e.getRequest().getRequestId().equals(id) && e.getPayload() instanceof ResponseCompleted, 1,
        Duration.ofSeconds(15));
    return s.events().stream().filter(e -> e.getRequest().getRequestId().equals(id)).toList();
  }

  static <T> T payload(List<VigilEvent> events, Class<T> type) {
    return events.stream().map(VigilEvent::getPayload).filter(type::isInstance).map(type::cast).findFirst().orElse(null);
  }

  @Test
  void shouldRecordAGetUnderMetadataWithoutTheResponseBodyButWithItsFindings() throws Exception {
    String path = "/api/v1/namespaces/payments/secrets/payments-db";
    HttpResponse<Buffer> resp = await(fx.client().get(path).putHeader("Authorization", "Bearer " + token).send());

    assertThat(resp.statusCode()).isEqualTo(200);
    assertThat(resp.bodyAsString()).contains("payments-db");
    List<VigilEvent> events = call(sink, "GET", path);
    RequestReceived rr = payload(events, RequestReceived.class);
    ResponseCompleted rc = payload(events, ResponseCompleted.class);
    assertThat(rr.getDecision().getEffect()).isEqualTo(Effect.ALLOW);
    assertThat(rr.getHeaders()).isNotEmpty().doesNotContainKey("authorization");
    assertThat(rc.getStatus()).isEqualTo(200);
    assertThat(rc.getBody()).as("no body recorded under record: metadata").isNull();
    assertThat(rc.getBytesToClient()).isEqualTo(resp.body().length());
    assertThat(rc.getOutcome()).isEqualTo(ResponseOutcome.COMPLETED);
    assertThat(rc.getFindings()).as("the masked body's findings are kept").isNotEmpty()
        .extracting(Finding::getKind).contains("k8s-secret");
  }

  @Test
  void shouldRecordACreateUnderMetadataWithoutTheRequestBodyYetForwardItWhole() throws Exception {
    String name = "meta-" + System.nanoTime();
    String body = "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"" + name + "\"},"
        + "\"stringData\":{\"password\":\"hunter2-" + name + "\"}}";
    String path = "/api/v1/namespaces/payments/secrets";
    fx.kubeSim.clearRequests();

    HttpResponse<Buffer> resp = await(fx.client().post(path).putHeader("Authorization", "Bearer " + token)
        .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(body)));

    assertThat(resp.statusCode()).isEqualTo(201);
    assertThat(fx.kubeSim.store().get("secrets", "payments", name)).isPresent();
    List<VigilEvent> events = call(sink, "POST", path);
    RequestReceived rr = payload(events, RequestReceived.class);
    ResponseCompleted rc = payload(events, ResponseCompleted.class);
    assertThat(rr.getBody()).isNull();
    assertThat(rr.getHeaders()).containsEntry("content-length", String.valueOf(body.length()));
    assertThat(rr.getFindings()).isNotEmpty();
    assertThat(rc.getStatus()).isEqualTo(201);
    assertThat(rc.getBody()).isNull();
    assertThat(events.toString()).doesNotContain("hunter2");
  }

  @Test
  void shouldRecordBodiesUnderARuleSayingFull() throws Exception {
    String path = "/api/v1/namespaces/default/configmaps";
    String name = "full-" + System.nanoTime();
    HttpResponse<Buffer> resp = await(fx.client().post(path).putHeader("Authorization", "Bearer " + token)
        .putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name + "\"}}")));

    assertThat(resp.statusCode()).isEqualTo(201);
    List<VigilEvent> events = call(sink, "POST", path);
    assertThat(payload(events, RequestReceived.class).getBody().getContent()).contains(name);
    assertThat(payload(events, ResponseCompleted.class).getBody().getContent()).contains(name);
  }

  @Test
  void shouldRecordNoFramesOfAWatchUnderMetadataButItsEnd() throws Exception {
    StreamClient watch = StreamClient.open(fx, fx.proxy().port(), "/api/v1/namespaces/payments/pods?watch=1&timeoutSeconds=1",
        token, "meta-watch");
    List<VigilEvent> events = call(sink, "GET", "/api/v1/namespaces/payments/pods");
    assertThat(watch.awaitText("ADDED", Duration.ofSeconds(5))).contains("\"namespace\":\"payments\"");
    watch.close();

    ResponseCompleted rc = payload(events, ResponseCompleted.class);
    assertThat(rc).isNotNull();
    assertThat(events).noneMatch(e -> e.getPayload() instanceof StreamFrame);
    assertThat(rc.getOutcome()).isEqualTo(ResponseOutcome.UPSTREAM_CLOSED);
    assertThat(rc.getBytesToClient()).isPositive();
    assertThat(rc.getFramesRecorded()).isZero();
    assertThat(rc.getFramesDropped()).as("frames not recorded by choice are not dropped").isZero();
    assertThat(rc.getBody()).isNull();
  }

  @Test
  void shouldRecordTheFramesOfAWatchUnderFull() throws Exception {
    StreamClient watch = StreamClient.open(fx, fx.proxy().port(), "/api/v1/namespaces/default/pods?watch=1&timeoutSeconds=1",
        token, "full-watch");
    List<VigilEvent> events = call(sink, "GET", "/api/v1/namespaces/default/pods");
    watch.close();

    ResponseCompleted rc = payload(events, ResponseCompleted.class);
    assertThat(events).anyMatch(e -> e.getPayload() instanceof StreamFrame);
    assertThat(rc.getFramesRecorded()).isPositive();
  }

  @Test
  void shouldRecordNothingForAnAllowedCallUnderAnOffRuleAndCountIt() throws Exception {
    long before = callsNotRecorded(fx.proxy().port());
    fx.kubeSim.clearRequests();
    String path = "/api/v1/namespaces/kube-system/configmaps";

    HttpResponse<Buffer> resp = await(fx.client().get(path).putHeader("Authorization", "Bearer " + token).send());
    assertThat(resp.statusCode()).isEqualTo(200);
    // a later call that is recorded: the off call's events, had there been any, would have been recorded by then
    await(fx.client().get("/api/v1/namespaces/default/configmaps").putHeader("Authorization", "Bearer " + token).send());
    call(sink, "GET", "/api/v1/namespaces/default/configmaps");

    assertThat(fx.kubeSim.requests()).isNotEmpty();
    assertThat(sink.events()).noneMatch(e -> e.getRequest().getPath().equals(path));
    assertThat(callsNotRecorded(fx.proxy().port())).isEqualTo(before + 1);
  }

  @Test
  void shouldRecordADenyUnderAnOffRule() throws Exception {
    String path = "/api/v1/namespaces/kube-system/configmaps/coredns";
    HttpResponse<Buffer> resp = await(fx.client().delete(path).putHeader("Authorization", "Bearer " + token).send());

    assertThat(resp.statusCode()).isEqualTo(403);
    List<VigilEvent> events = call(sink, "DELETE", path);
    RequestReceived rr = payload(events, RequestReceived.class);
    assertThat(rr.getDecision().getEffect()).isEqualTo(Effect.DENY);
    assertThat(rr.getDecision().getRuleId()).isEqualTo("no-kube-system-deletes");
    assertThat(payload(events, ResponseCompleted.class).getStatus()).isEqualTo(403);
  }

  @Test
  void shouldRecordOnlyDeniedAndRefusedCallsUnderAnOffDefault() throws Exception {
    WebClient client = fx.client(offGateway.port());
    long before = callsNotRecorded(offGateway.port());

    HttpResponse<Buffer> allowed = await(client.get("/api/v1/namespaces/payments/configmaps")
        .putHeader("Authorization", "Bearer " + token).send());
    HttpResponse<Buffer> denied = await(client.get("/api/v1/namespaces/payments/pods")
        .putHeader("Authorization", "Bearer " + token).send());
    HttpResponse<Buffer> guarded = await(client.get("/api/v1/namespaces/kube-system/secrets")
        .putHeader("Authorization", "Bearer " + token).send());
    HttpResponse<Buffer> unauthenticated = await(client.get("/api/v1/namespaces/payments/configmaps/x").send());

    assertThat(allowed.statusCode()).isEqualTo(200);
    assertThat(denied.statusCode()).isEqualTo(403);
    assertThat(guarded.statusCode()).isEqualTo(403);
    assertThat(unauthenticated.statusCode()).isEqualTo(401);
    RequestReceived byDefault = payload(call(offSink, "GET", "/api/v1/namespaces/payments/pods"), RequestReceived.class);
    assertThat(byDefault.getDecision().getEffect()).isEqualTo(Effect.DENY);
    assertThat(byDefault.getDecision().getReason()).isEqualTo("no policy rule allows this request");
    RequestReceived byGuardrail = payload(call(offSink, "GET", "/api/v1/namespaces/kube-system/secrets"),
        RequestReceived.class);
    assertThat(byGuardrail.getDecision().getRuleId()).isEqualTo("guardrail:secrets-only-in-allowed-namespaces");
    List<VigilEvent> refused = call(offSink, "GET", "/api/v1/namespaces/payments/configmaps/x");
    assertThat(payload(refused, RequestReceived.class).getDecision().getRuleId()).isEqualTo("authentication");
    assertThat(payload(refused, ResponseCompleted.class).getBody()).as("refused before a decision: recorded as today")
        .isNotNull();
    assertThat(offSink.events()).noneMatch(e -> e.getRequest().getPath().equals("/api/v1/namespaces/payments/configmaps"));
    assertThat(callsNotRecorded(offGateway.port())).isEqualTo(before + 1);
    client.close();
  }

  static long callsNotRecorded(int port) throws Exception {
    WebClient client = fx.client(port);
    HttpResponse<Buffer> resp = await(client.get("/vigil/status").send());
    client.close();
    return resp.bodyAsJsonObject().getLong("callsNotRecorded");
  }
}
