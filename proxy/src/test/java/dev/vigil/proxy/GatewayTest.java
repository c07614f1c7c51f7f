package dev.vigil.proxy;

import static dev.vigil.proxy.GatewayFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.vigil.kubesim.RecordedRequest;
import dev.vigil.schema.BodyEncoding;
import dev.vigil.schema.Effect;
import dev.vigil.schema.RequestReceived;
import dev.vigil.schema.ResponseCompleted;
import dev.vigil.schema.VigilEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;

/** The gateway against kube-sim and the dev OIDC issuer, recording into memory (no broker). */
class GatewayTest {

  @TempDir
  static Path dir;
  static GatewayFixture fx;
  static InMemorySink sink = new InMemorySink();

  @BeforeAll
  static void start() throws Exception {
    fx = new GatewayFixture(dir);
    fx.startProxy(fx.settings(Map.of(
        ProxyConfig.RECORD_MAX_BODY_BYTES, "256",
        ProxyConfig.MAX_REQUEST_BODY_BYTES, "4096")), sink);
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
  void shouldForwardAuthenticatedListWithTheGatewayCredentialAndRecordBothSides() throws Exception {
    String token = fx.mint("agent-1");

    HttpResponse<Buffer> resp = await(fx.client().get("/api/v1/namespaces/payments/pods")
        .putHeader("Authorization", "Bearer " + token).send());

    assertThat(resp.statusCode()).isEqualTo(200);
    assertThat(resp.bodyAsJsonObject().getString("kind")).isEqualTo("PodList");
    RecordedRequest upstream = single(fx.kubeSim.requests());
    assertThat(upstream.path()).isEqualTo("/api/v1/namespaces/payments/pods");
    assertThat(upstream.headers("authorization")).containsExactly("Bearer " + GatewayFixture.GATEWAY_TOKEN);

    List<VigilEvent> events = sink.await(e -> true, 2, Duration.ofSeconds(5));
    assertThat(events).hasSize(2);
    VigilEvent received = events.get(0);
    VigilEvent completed = events.get(1);
    assertThat(received.getSessionKey()).isEqualTo("agent-1");
    assertThat(received.getSequence()).isLessThan(completed.getSequence());
    assertThat(received.getGatewayId()).isEqualTo("test-gateway");
    assertThat(received.getIdentity().getSubject()).isEqualTo("agent-1");
    assertThat(received.getIdentity().getGroups()).containsExactly("agents", "dev");
    assertThat(received.getIdentity().getIssuer()).isEqualTo(fx.issuer.issuerUrl());
    assertThat(received.getRequest().getKubernetes().getVerb()).isEqualTo("list");
    assertThat(received.getRequest().getKubernetes().getNamespace()).isEqualTo("payments");
    assertThat(received.getRequest().getKubernetes().getResource()).isEqualTo("pods");
    assertThat(completed.getRequest().getRequestId()).isEqualTo(received.getRequest().getRequestId());
    RequestReceived rr = (RequestReceived) received.getPayload();
    assertThat(rr.getDecision().getEffect()).isEqualTo(Effect.ALLOW);
    assertThat(rr.getDecision().getRuleId()).isNull();
    assertThat(rr.getHeaders()).doesNotContainKey("authorization");
    ResponseCompleted rc = (ResponseCompleted) completed.getPayload();
    assertThat(rc.getStatus()).isEqualTo(200);
    assertThat(rc.getBody().getEncoding()).isEqualTo(BodyEncoding.TEXT);
    assertThat(rc.getBody().getContent()).startsWith("{");
    assertThat(rc.getBody().getTruncated()).isTrue(); // cap is 256 bytes here
    assertThat(rc.getBody().getOriginalSize()).isEqualTo(resp.body().length());
    assertThat(rc.getBytesToClient()).isEqualTo(resp.body().length());
    assertThat(events.toString()).doesNotContain(token).doesNotContain(GatewayFixture.GATEWAY_TOKEN);
  }

  @Test
  void shouldRefuseMissingInvalidExpiredAndForeignTokensWithoutForwarding() throws Exception {
    JsonObject expired = fx.issuer.claims("agent-1", List.of(), Duration.ofMinutes(5))
        .put("exp", Instant.now().minusSeconds(600).getEpochSecond());
    JsonObject wrongAudience = fx.issuer.claims("agent-1", List.of(), Duration.ofMinutes(5)).put("aud", "someone-else");
    JsonObject notYetValid = fx.issuer.claims("agent-1", List.of(), Duration.ofMinutes(30))
        .put("nbf", Instant.now().plusSeconds(900).getEpochSecond());
    JsonObject otherIssuer = fx.issuer.claims("agent-1", List.of(), Duration.ofMinutes(5)).put("iss", "https://evil.example");
    Map<String, String> cases = Map.of(
        "missing", "",
        "garbage", "Bearer not-a-jwt",
        "expired", "Bearer " + fx.issuer.mint(expired),
        "wrong audience", "Bearer " + fx.issuer.mint(wrongAudience),
        "not yet valid", "Bearer " + fx.issuer.mint(notYetValid),
        "other issuer", "Bearer " + fx.issuer.mint(otherIssuer),
        "unknown key", "Bearer " + fx.issuer.mintWithUnknownKey("agent-1"),
        "alg none", "Bearer " + unsigned(fx.issuer.claims("agent-1", List.of(), Duration.ofMinutes(5))),
        "basic", "Basic YWRtaW46YWRtaW4=");

    for (Map.Entry<String, String> c : cases.entrySet()) {
      sink.clear();
      var req = fx.client().get("/api/v1/namespaces/payments/secrets");
      if (!c.getValue().isEmpty()) {
        req.putHeader("Authorization", c.getValue());
      }
      HttpResponse<Buffer> resp = await(req.send());

      assertThat(resp.statusCode()).as(c.getKey()).isEqualTo(401);
      assertThat(resp.getHeader("Content-Type")).as(c.getKey()).isEqualTo("application/json");
      JsonObject status = resp.bodyAsJsonObject();
      assertThat(status.getString("kind")).isEqualTo("Status");
      assertThat(status.getString("reason")).isEqualTo("Unauthorized");
      assertThat(status.getInteger("code")).isEqualTo(401);
      List<VigilEvent> events = sink.await(e -> true, 2, Duration.ofSeconds(5));
      assertThat(events).as(c.getKey()).hasSize(2);
      RequestReceived rr = (RequestReceived) events.get(0).getPayload();
      assertThat(rr.getDecision().getEffect()).isEqualTo(Effect.DENY);
      assertThat(rr.getDecision().getRuleId()).isEqualTo("authentication");
      assertThat(rr.getDecision().getReason()).startsWith("unauthenticated: ");
      assertThat(rr.getHeaders()).doesNotContainKey("authorization");
      assertThat(events.get(0).getSessionKey()).isEqualTo("anonymous");
      assertThat(events.get(0).getIdentity().getAuthenticated()).isFalse();
      assertThat(events.get(0).getIdentity().getUsername()).isEqualTo("system:anonymous");
      assertThat(((ResponseCompleted) events.get(1).getPayload()).getStatus()).isEqualTo(401);
      if (!c.getValue().isEmpty()) {
        assertThat(events.toString()).as(c.getKey()).doesNotContain(c.getValue().substring(7));
      }
    }
    assertThat(fx.kubeSim.requests()).isEmpty();
  }

  @Test
  void shouldNeverForwardCallerCredentialsImpersonationOrHopByHopHeaders() throws Exception {
    String token = fx.mint("agent-2");

    HttpResponse<Buffer> resp = await(fx.client().get("/api/v1/namespaces")
        .putHeader("Authorization", "Bearer " + token)
        .putHeader("Impersonate-User", "system:admin")
        .putHeader("Impersonate-Group", "system:masters")
        .putHeader("Impersonate-Extra-scopes", "all")
        .putHeader("Impersonate-Uid", "0")
        .putHeader("Proxy-Authorization", "Basic Zm9vOmJhcg==")
        .putHeader("X-Vigil-Session", "task-42")
        .putHeader("Connection", "keep-alive, X-Drop-Me")
        .putHeader("X-Drop-Me", "1")
        .putHeader("X-Keep-Me", "1")
        .send());

    assertThat(resp.statusCode()).isEqualTo(200);
    RecordedRequest upstream = single(fx.kubeSim.requests());
    assertThat(upstream.headers().keySet())
        .doesNotContain("proxy-authorization", "x-vigil-session", "x-drop-me", "impersonate-uid", "impersonate-extra-scopes")
        .contains("x-keep-me");
    // the gateway's own impersonation of the caller, never the caller's
    assertThat(upstream.headers("impersonate-user")).containsExactly("agent-2");
    assertThat(upstream.headers("impersonate-group")).containsExactly("agents", "dev");
    assertThat(upstream.headers("impersonate-extra-vigil-session")).containsExactly("agent-2/task-42");
    assertThat(upstream.headers("authorization")).containsExactly("Bearer " + GatewayFixture.GATEWAY_TOKEN);
    List<VigilEvent> events = sink.await(e -> true, 2, Duration.ofSeconds(5));
    assertThat(events).extracting(VigilEvent::getSessionKey).containsOnly("agent-2/task-42");
    RequestReceived rr = (RequestReceived) events.get(0).getPayload();
    assertThat(rr.getHeaders().keySet()).noneMatch(h -> h.startsWith("impersonate-"))
        .doesNotContain("authorization", "proxy-authorization");
  }

  @Test
  void shouldRefuseAnInvalidSessionHeaderAndBadPathsWith400() throws Exception {
    String token = fx.mint("agent-3");
    HttpResponse<Buffer> badSession = await(fx.client().get("/api/v1/namespaces")
        .putHeader("Authorization", "Bearer " + token).putHeader("X-Vigil-Session", "has spaces/and slashes").send());
    HttpResponse<Buffer> escaping = await(fx.client().get("/api/v1/../../../etc/passwd")
        .putHeader("Authorization", "Bearer " + token).send());
    HttpResponse<Buffer> encodedSlash = await(fx.client().get("/api/v1/namespaces/payments%2Fsecrets/pods")
        .putHeader("Authorization", "Bearer " + token).send());

    for (HttpResponse<Buffer> r : List.of(badSession, escaping, encodedSlash)) {
      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(r.bodyAsJsonObject().getString("reason")).isEqualTo("BadRequest");
    }
    assertThat(fx.kubeSim.requests()).isEmpty();
    List<VigilEvent> denials = sink.await(e -> e.getPayload() instanceof RequestReceived, 3, Duration.ofSeconds(5));
    assertThat(denials).allSatisfy(e -> {
      assertThat(((RequestReceived) e.getPayload()).getDecision().getEffect()).isEqualTo(Effect.DENY);
      assertThat(e.getSessionKey()).isEqualTo("agent-3");
    });
  }

  @Test
  void shouldForwardRequestBodiesWhileRecordingOnlyTheCap() throws Exception {
    String value = "x".repeat(1000);
    JsonObject cm = new JsonObject().put("apiVersion", "v1").put("kind", "ConfigMap")
        .put("metadata", new JsonObject().put("name", "big-" + System.nanoTime()))
        .put("data", new JsonObject().put("v", value));
    Buffer body = Buffer.buffer(cm.encode());

    HttpResponse<Buffer> resp = await(fx.client().post("/api/v1/namespaces/payments/configmaps")
        .putHeader("Authorization", "Bearer " + fx.mint("agent-5"))
        .putHeader("Content-Type", "application/json")
        .sendBuffer(body));

    assertThat(resp.statusCode()).isEqualTo(201);
    assertThat(resp.bodyAsJsonObject().getJsonObject("data").getString("v")).isEqualTo(value);
    VigilEvent received = sink.await(e -> true, 1, Duration.ofSeconds(5)).get(0);
    assertThat(received.getRequest().getKubernetes().getVerb()).isEqualTo("create");
    dev.vigil.schema.Body recorded = ((RequestReceived) received.getPayload()).getBody();
    assertThat(recorded.getEncoding()).isEqualTo(BodyEncoding.TEXT);
    assertThat(recorded.getTruncated()).isTrue();
    assertThat(recorded.getOriginalSize()).isEqualTo(body.length());
    assertThat(recorded.getContent()).hasSize(256).isEqualTo(body.toString().substring(0, 256));
  }

  @Test
  void shouldForwardSmallChunkedBodiesAndRefuseLargeOnesWith413() throws Exception {
    String token = fx.mint("agent-6");
    JsonObject cm = new JsonObject().put("apiVersion", "v1").put("kind", "ConfigMap")
        .put("metadata", new JsonObject().put("name", "small-" + System.nanoTime())).put("data", new JsonObject().put("k", "v"));
    HttpResponse<Buffer> small = await(fx.client().post("/api/v1/namespaces/payments/configmaps")
        .putHeader("Authorization", "Bearer " + token).putHeader("Content-Type", "application/json")
        .sendStream(chunks(cm.encode())));
    assertThat(small.statusCode()).isEqualTo(201);

    HttpResponse<Buffer> declared = await(fx.client().post("/api/v1/namespaces/payments/configmaps")
        .putHeader("Authorization", "Bearer " + token).putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer("x".repeat(5000))));
    assertThat(declared.statusCode()).isEqualTo(413);
    assertThat(declared.bodyAsJsonObject().getString("reason")).isEqualTo("RequestEntityTooLarge");

    fx.kubeSim.clearRequests();
    sink.clear();
    // Written in one go on a raw connection: the gateway answers 413 once the limit is passed and closes the
    // connection, and an HTTP client still streaming its body could see the close before the answer.
    StringBuilder wire = new StringBuilder("POST /api/v1/namespaces/payments/configmaps HTTP/1.1\r\nHost: x\r\n"
        + "Authorization: Bearer " + token + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
    for (int i = 0; i < 5000; i += 700) {
      int n = Math.min(700, 5000 - i);
      wire.append(Integer.toHexString(n)).append("\r\n").append("y".repeat(n)).append("\r\n");
    }
    RawConnection raw = RawConnection.open(fx, fx.proxy().port());
    String chunked = raw.send(wire.append("0\r\n\r\n").toString()).awaitText("}", Duration.ofSeconds(10));
    raw.close();
    assertThat(chunked).startsWith("HTTP/1.1 413").contains("\"reason\":\"RequestEntityTooLarge\"");
    assertThat(fx.kubeSim.requests()).as("an over-limit body never reaches the upstream").isEmpty();
    List<VigilEvent> events = sink.await(e -> true, 2, Duration.ofSeconds(5));
    RequestReceived denied = (RequestReceived) events.get(0).getPayload();
    assertThat(denied.getDecision().getEffect()).isEqualTo(Effect.DENY);
    assertThat(denied.getDecision().getRuleId()).isEqualTo("request-size");
    assertThat(((ResponseCompleted) events.get(1).getPayload()).getStatus()).isEqualTo(413);
  }

  @Test
  void shouldKeepServingAndCountFailuresWhenRecordingFails() throws Exception {
    sink.failing(true);
    try {
      HttpResponse<Buffer> resp = await(fx.client().get("/api/v1/namespaces/payments/pods")
          .putHeader("Authorization", "Bearer " + fx.mint("agent-7")).send());

      assertThat(resp.statusCode()).isEqualTo(200);
    } finally {
      sink.failing(false);
    }
    HttpResponse<Buffer> status = await(fx.client().get("/vigil/status").send()); // counters: loopback or authenticated
    assertThat(status.bodyAsJsonObject().getJsonObject("events").getLong("failed")).isGreaterThanOrEqualTo(1);
  }

  @Test
  void shouldServeHealthWithoutAuthentication() throws Exception {
    HttpResponse<Buffer> resp = await(fx.client().get("/vigil/healthz").send());

    assertThat(resp.statusCode()).isEqualTo(200);
    assertThat(resp.bodyAsJsonObject().getString("status")).isEqualTo("ok");
    assertThat(fx.kubeSim.requests()).isEmpty();
    assertThat(sink.events()).isEmpty();
  }

  static RecordedRequest single(List<RecordedRequest> requests) {
    assertThat(requests).hasSize(1);
    return requests.get(0);
  }

  static String unsigned(JsonObject claims) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    return b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
        + b64.encodeToString(claims.encode().getBytes(StandardCharsets.UTF_8)) + ".";
  }

  /** A body sent in several chunks without Content-Length. */
  static io.vertx.core.streams.ReadStream<Buffer> chunks(String s) {
    return new ChunkedBody(fx.vertx, Buffer.buffer(s), 700);
  }
}
