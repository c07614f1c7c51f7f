package dev.vigil.proxy;

import static dev.vigil.proxy.GatewayFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.vigil.kubesim.RecordedRequest;
import dev.vigil.schema.Finding;
import dev.vigil.schema.RequestReceived;
import dev.vigil.schema.ResponseCompleted;
import dev.vigil.schema.StreamFrame;
import dev.vigil.schema.VigilEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;

/**
 * {@code maskResponse: true}: the caller itself receives masked values — Secret objects, lists, Tables and watch events,
 * exec output and followed logs through the detectors — with the fingerprints the recording holds; a protobuf Accept
 * gets JSON; a response too large to mask is refused (502 Status) rather than relayed unmasked. A rule with
 * {@code maskResponse: false} gets the real values.
 */
class MaskResponseTest {

  static final String PASSWORD = "s3cr3t-p@ssw0rd";
  static final String PASSWORD_B64 = "czNjcjN0LXBAc3N3MHJk";
  static final Pattern TOKEN = Pattern.compile("masked:([a-z0-9-]+):([0-9a-f]{32})");
  static final String POLICY = """
      defaultEffect: allow
      defaults:
        maskResponse: true
      guardrails:
        secrets-only-in-allowed-namespaces:
          namespaces: [payments]
      rules:
        - id: ops-see-plaintext
          effect: allow
          groups: [ops]
          verbs: ["*"]
          resources: ["*"]
          maskResponse: false
      """;

  @TempDir
  static Path dir;
  static GatewayFixture fx;
  static final InMemorySink sink = new InMemorySink();
  static VigilProxy small;
  static String agent;
  static String ops;

  @BeforeAll
  static void start() throws Exception {
    fx = new GatewayFixture(dir);
    Path policy = dir.resolve("policy.yaml");
    Files.writeString(policy, POLICY, StandardCharsets.UTF_8);
    fx.startProxy(fx.settings(Map.of(ProxyConfig.POLICY_FILE, policy.toString())), sink);
    small = fx.startProxy(fx.settings(Map.of(ProxyConfig.POLICY_FILE, policy.toString(),
        ProxyConfig.MAX_MASKED_RESPONSE_BYTES, "1500")), sink);
    agent = fx.mint("agent-1");
    ops = fx.issuer.mint("ops-1", List.of("ops"), Duration.ofMinutes(10));
  }

  @AfterAll
  static void stop() throws Exception {
    if (fx != null) {
      fx.close();
    }
  }

  @BeforeEach
  void reset() {
    sink.clear();
    fx.kubeSim.clearRequests();
  }

  @Test
  void shouldGiveTheCallerMaskedSecretValuesWithTheRecordedFingerprints() throws Exception {
    HttpResponse<Buffer> resp = get(fx.client(), "/api/v1/namespaces/payments/secrets/payments-db", agent, null);

    assertThat(resp.statusCode()).isEqualTo(200);
    String body = resp.bodyAsString();
    assertThat(body).doesNotContain(PASSWORD_B64).doesNotContain(PASSWORD);
    assertThat(resp.getHeader("Content-Length")).isEqualTo(Integer.toString(resp.body().length()));
    JsonObject data = new JsonObject(body).getJsonObject("data");
    assertThat(data.getString("password")).startsWith("masked:k8s-secret:");
    ResponseCompleted rc = completed(requestId());
    assertThat(rc.getBody().getMasked()).isTrue();
    assertThat(rc.getBody().getContent()).isEqualTo(body);
    assertThat(fingerprints(rc.getFindings())).containsExactlyInAnyOrderElementsOf(fingerprints(body));
  }

  @Test
  void shouldMaskListsAndTablesForTheCaller() throws Exception {
    HttpResponse<Buffer> list = get(fx.client(), "/api/v1/namespaces/payments/secrets", agent, null);
    assertThat(list.bodyAsString()).doesNotContain(PASSWORD_B64).contains("masked:k8s-secret:");
    assertThat(list.bodyAsJsonObject().getJsonArray("items")).hasSizeGreaterThanOrEqualTo(2);

    HttpResponse<Buffer> table = get(fx.client(), "/api/v1/namespaces/payments/secrets?includeObject=Object", agent,
        "application/json;as=Table;v=v1;g=meta.k8s.io,application/json");
    assertThat(table.bodyAsJsonObject().getString("kind")).isEqualTo("Table");
    assertThat(table.bodyAsString()).doesNotContain(PASSWORD_B64).contains("masked:k8s-secret:");
  }

  @Test
  void shouldGiveTheRealValuesUnderARuleWithoutMaskResponse() throws Exception {
    HttpResponse<Buffer> resp = get(fx.client(), "/api/v1/namespaces/payments/secrets/payments-db", ops,
        "application/vnd.kubernetes.protobuf, application/json");

    assertThat(resp.bodyAsJsonObject().getJsonObject("data").getString("password")).isEqualTo(PASSWORD_B64);
    assertThat(fx.kubeSim.requests()).singleElement().satisfies(r ->
        assertThat(r.header("accept")).isEqualTo("application/vnd.kubernetes.protobuf, application/json"));
    RequestReceived received = (RequestReceived) sink.await(e -> e.getPayload() instanceof RequestReceived, 1,
        Duration.ofSeconds(5)).get(0).getPayload();
    assertThat(received.getDecision().getRuleId()).isEqualTo("ops-see-plaintext");
    assertThat(completed(requestId()).getBody().getContent()).doesNotContain(PASSWORD_B64); // the recording is masked
  }

  @Test
  void shouldAskTheApiServerForJsonWhenTheCallerAsksForProtobuf() throws Exception {
    HttpResponse<Buffer> resp = get(fx.client(), "/api/v1/namespaces/payments/secrets/payments-db", agent,
        "application/vnd.kubernetes.protobuf, application/json");

    assertThat(resp.getHeader("Content-Type")).startsWith("application/json");
    assertThat(resp.bodyAsJsonObject().getJsonObject("data").getString("password")).startsWith("masked:k8s-secret:");
    RecordedRequest seen = fx.kubeSim.requests().get(0);
    assertThat(seen.header("accept")).isEqualTo("application/json");
    assertThat(seen.header("accept-encoding")).isEqualTo("identity");
  }

  @Test
  void shouldMaskEachWatchEventOfSecrets() throws Exception {
    StreamClient watch = StreamClient.open(fx, fx.proxy().port(), "/api/v1/namespaces/payments/secrets?watch=true",
        agent, null);
    String seen = watch.awaitText("stripe-api-key", Duration.ofSeconds(10));
    watch.close();

    assertThat(seen).contains("\"type\":\"ADDED\"").contains("payments-db").contains("masked:k8s-secret:")
        .doesNotContain(PASSWORD_B64).doesNotContain("sk_test_51DemoOnly");
    String requestId = requestId();
    StreamClient.completed(sink, requestId);
    List<StreamFrame> frames = StreamClient.frames(sink, requestId);
    assertThat(frames).isNotEmpty().allSatisfy(f -> assertThat(f.getData().getContent()).doesNotContain(PASSWORD_B64));
    List<String> recorded = frames.stream().flatMap(f -> f.getFindings().stream()).map(Finding::getFingerprint).toList();
    assertThat(recorded).containsAll(fingerprints(seen));
  }

  @Test
  void shouldMaskExecOutputForTheCaller() throws Exception {
    WebSocketClient client = fx.vertx.createWebSocketClient(new WebSocketClientOptions().setSsl(true)
        .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(fx.pki.caCertPem()))));
    WebSocketConnectOptions o = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(fx.proxy().port())
        .setURI("/api/v1/namespaces/payments/pods/" + execPod() + "/exec?command=env&stdout=true&stderr=true")
        .addHeader("Authorization", "Bearer " + agent).addSubProtocol("v5.channel.k8s.io");
    StringBuilder stdout = new StringBuilder();
    CompletableFuture<Void> closed = new CompletableFuture<>();
    WebSocket ws = await(client.connect(o).map(w -> {
      w.binaryMessageHandler(b -> {
        if ((b.getByte(0) & 0xFF) == 1) {
          stdout.append(b.getString(1, b.length()));
        }
      });
      w.closeHandler(v -> closed.complete(null));
      return w;
    }));
    closed.get(15, TimeUnit.SECONDS);
    assertThat(ws.isClosed()).isTrue();

    String out = stdout.toString();
    assertThat(out).contains("DB_HOST=payments-db.payments.svc").contains("DB_PASSWORD=masked:generic-secret:")
        .doesNotContain(PASSWORD);
    String requestId = requestId();
    StreamClient.completed(sink, requestId);
    List<String> recorded = StreamClient.frames(sink, requestId).stream().flatMap(f -> f.getFindings().stream())
        .map(Finding::getFingerprint).toList();
    assertThat(recorded).containsAll(fingerprints(out));
    await(client.close());
  }

  @Test
  void shouldMaskAFollowedLogLineByLine() throws Exception {
    String pod = execPod();
    fx.kubeSim.podLogs().set("payments", pod, "api", List.of("starting", "connecting with password=" + PASSWORD,
        "-----BEGIN EC PRIVATE KEY-----", "MHcCAQEEIBkg4LVWM9nuwNSk3yByxZpYRTBnVJk5oFuy6OvPzFJxoAoGCCqGSM49", "AwEHoUQDQgAE",
        "-----END EC PRIVATE KEY-----", "ready"));
    StreamClient logs = StreamClient.open(fx, fx.proxy().port(),
        "/api/v1/namespaces/payments/pods/" + pod + "/log?follow=true&container=api", agent, null);
    String seen = logs.awaitText("ready", Duration.ofSeconds(10));
    logs.close();

    assertThat(seen).contains("starting\n").contains("password=masked:generic-secret:")
        .contains("masked:pem-private-key:").doesNotContain(PASSWORD).doesNotContain("MHcCAQEE").contains("ready\n");
  }

  @Test
  void shouldRefuseAResponseTooLargeToMaskAndRecordWhy() throws Exception {
    WebClient client = fx.client(small.port());
    HttpResponse<Buffer> resp = get(client, "/api/v1/namespaces/payments/pods", agent, null);

    assertThat(resp.statusCode()).isEqualTo(502);
    JsonObject status = resp.bodyAsJsonObject();
    assertThat(status.getString("kind")).isEqualTo("Status");
    assertThat(status.getString("message")).contains("could not mask it").contains("larger than 1500 bytes")
        .contains("--chunk-size");
    assertThat(resp.bodyAsString()).doesNotContain("payments-api").doesNotContain("registry.example.com");
    ResponseCompleted rc = completed(requestId());
    assertThat(rc.getStatus()).isEqualTo(502);
    assertThat(rc.getHeaders().get("vigil-mask-refused")).contains("larger than 1500 bytes")
        .contains("upstream status 200");
    client.close();
  }

  @Test
  void shouldEndAWatchWhoseEventIsTooLargeToMask() throws Exception {
    StreamClient watch = StreamClient.open(fx, small.port(), "/api/v1/namespaces/payments/pods?watch=true", agent, null);
    String seen = watch.awaitText("\"type\":\"ERROR\"", Duration.ofSeconds(10));
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (!watch.ended.get() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    watch.close();

    assertThat(seen).contains("could not mask an event").contains("larger than 1500 bytes");
    assertThat(watch.ended).as("the watch was ended").isTrue();
    ResponseCompleted rc = completed(requestId());
    assertThat(rc.getHeaders().get("vigil-mask-ended")).contains("larger than 1500 bytes");
  }

  private static HttpResponse<Buffer> get(WebClient client, String uri, String token, String accept) throws Exception {
    var req = client.get(uri).putHeader("Authorization", "Bearer " + token);
    if (accept != null) {
      req.putHeader("Accept", accept);
    }
    return await(req.send());
  }

  private static String execPod() {
    return fx.kubeSim.store().list("pods", "payments").stream()
        .map(p -> p.path("metadata").path("name").asText())
        .filter(n -> n.startsWith("payments-api")).findFirst().orElseThrow();
  }

  private static String requestId() throws InterruptedException {
    return sink.await(e -> e.getPayload() instanceof RequestReceived, 1, Duration.ofSeconds(10)).get(0)
        .getRequest().getRequestId();
  }

  private static ResponseCompleted completed(String requestId) throws InterruptedException {
    List<VigilEvent> done = sink.await(e -> e.getRequest().getRequestId().equals(requestId)
        && e.getPayload() instanceof ResponseCompleted, 1, Duration.ofSeconds(10));
    assertThat(done).as("ResponseCompleted of " + requestId).isNotEmpty();
    return (ResponseCompleted) done.get(0).getPayload();
  }

  private static List<String> fingerprints(List<Finding> findings) {
    return findings.stream().map(Finding::getFingerprint).distinct().toList();
  }

  /** The fingerprints in the {@code masked:<kind>:<fingerprint>} tokens of {@code text}. */
  private static List<String> fingerprints(String text) {
    List<String> out = new java.util.ArrayList<>();
    Matcher m = TOKEN.matcher(text);
    while (m.find()) {
      if (!out.contains(m.group(2))) {
        out.add(m.group(2));
      }
    }
    assertThat(out).as("masked tokens in " + text).isNotEmpty();
    return out;
  }
}
