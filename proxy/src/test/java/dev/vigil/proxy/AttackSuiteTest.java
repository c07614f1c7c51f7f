package dev.vigil.proxy;

import static dev.vigil.proxy.GatewayFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.vigil.kubesim.RecordedRequest;
import dev.vigil.schema.RequestReceived;
import dev.vigil.schema.VigilEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;

/**
 * Issue 9, the attack suite: each attempt is refused with a Kubernetes Status, recorded as a denied RequestReceived
 * with the rule that refused it, and never reaches the upstream. Runs against kube-sim and the dev OIDC issuer,
 * recording into memory (no broker).
 */
class AttackSuiteTest {

  @TempDir
  static Path dir;
  static AttackProbe probe;
  static GatewayFixture fx;
  static InMemorySink sink;

  @BeforeAll
  static void start() throws Exception {
    probe = new AttackProbe(dir, Map.of(ProxyConfig.MAX_REQUEST_BODY_BYTES, "4096"));
    fx = probe.fx;
    sink = probe.sink;
  }

  @AfterAll
  static void stop() throws Exception {
    if (probe != null) {
      probe.close();
    }
  }

  @BeforeEach
  void reset() {
    probe.reset();
  }

  // ---------------------------------------------------------------- JWT attacks

  static Stream<Arguments> forgedTokens() throws Exception {
    // built lazily per case, after the fixture started
    return Stream.of(
        Arguments.of("alg none"),
        Arguments.of("HS256 keyed with the issuer's public key"),
        Arguments.of("expired"),
        Arguments.of("wrong issuer"),
        Arguments.of("wrong audience"),
        Arguments.of("tampered payload, original signature"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("forgedTokens")
  void shouldRefuseAForgedOrInvalidTokenWith401AndRecordIt(String attack) throws Exception {
    String token = ForgedTokens.forge(fx, attack);

    HttpResponse<Buffer> resp = await(fx.client().get("/api/v1/namespaces/payments/secrets")
        .putHeader("Authorization", "Bearer " + token).send());

    AttackProbe.assertStatus(resp, 401, "Unauthorized");
    VigilEvent received = probe.assertDenied("authentication", 401);
    assertThat(received.getIdentity().getAuthenticated()).isFalse();
    assertThat(sink.events().toString()).doesNotContain(token);
    assertThat(fx.kubeSim.requests()).isEmpty();
  }

  @Test
  void shouldNotAcceptATokenInAQueryParameter() throws Exception {
    String token = fx.mint("query-agent");

    HttpResponse<Buffer> resp = await(fx.client().get("/api/v1/namespaces/payments/secrets?access_token=" + token
        + "&token=" + token).send());

    AttackProbe.assertStatus(resp, 401, "Unauthorized");
    VigilEvent received = probe.assertDenied("authentication", 401);
    assertThat(received.getIdentity().getAuthenticated()).isFalse();
    assertThat(fx.kubeSim.requests()).isEmpty();
  }

  // ---------------------------------------------------------------- header smuggling

  @Test
  void shouldReplaceTheCallersImpersonationWithTheGatewaysOwn() throws Exception {
    HttpResponse<Buffer> resp = await(fx.client().get("/api/v1/namespaces/payments/pods")
        .putHeader("Authorization", "Bearer " + fx.mint("smuggler"))
        .putHeader("Impersonate-User", "system:admin")
        .putHeader("Impersonate-Group", "system:masters").send());

    assertThat(resp.statusCode()).isEqualTo(200);
    RecordedRequest upstream = GatewayTest.single(fx.kubeSim.requests());
    assertThat(upstream.headers("impersonate-user")).containsExactly("smuggler");
    assertThat(upstream.headers("impersonate-group")).containsExactly("agents", "dev");
    List<VigilEvent> events = sink.await(e -> true, 2, Duration.ofSeconds(5));
    VigilEvent received = events.get(0);
    assertThat(received.getIdentity().getUsername()).isEqualTo("smuggler");
    assertThat(received.getIdentity().getGroups()).doesNotContain("system:masters");
    assertThat(((RequestReceived) received.getPayload()).getHeaders().keySet()).noneMatch(h -> h.startsWith("impersonate-"));
  }

  static Stream<Arguments> framingConflicts() {
    return Stream.of(
        Arguments.of("Content-Length: 5\r\nTransfer-Encoding: chunked", true),
        Arguments.of("Transfer-Encoding: chunked\r\nContent-Length: 5", true),
        Arguments.of("Content-Length: 5\r\nTransfer-Encoding: Chunked", true),
        Arguments.of("Content-Length: 5\r\nTransfer-Encoding: chunked, identity", true),
        Arguments.of("Content-Length: 5\r\nTransfer-Encoding: xchunked", false),
        Arguments.of("Content-Length: 5\r\nTransfer-Encoding: identity", false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("framingConflicts")
  void shouldRefuseTransferEncodingTogetherWithContentLength(String framing, boolean readAsChunked) throws Exception {
    String body = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"smuggled\"}}";
    String response = probe.raw("POST /api/v1/namespaces/payments/configmaps HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
        + fx.mint("smuggler") + "\r\nContent-Type: application/json\r\n" + framing + "\r\n\r\n"
        + Integer.toHexString(body.length()) + "\r\n" + body + "\r\n0\r\n\r\n");

    AttackProbe.assertRawStatus(response, 400, "BadRequest");
    assertThat(response).contains("Transfer-Encoding together with Content-Length");
    // chunked: refused by the decoder before anyone is authenticated; otherwise by the preflight, attributed
    VigilEvent received = probe.assertDenied("protocol", 400);
    assertThat(received.getIdentity().getAuthenticated()).isEqualTo(!readAsChunked);
    assertThat(fx.kubeSim.requests()).isEmpty();
  }

  static Stream<String> unsupportedTransferEncodings() {
    return Stream.of("chunked, identity", "xchunked", "identity", "gzip, chunked");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unsupportedTransferEncodings")
  void shouldRefuseATransferEncodingOtherThanChunked(String te) throws Exception {
    String response = probe.raw("POST /api/v1/namespaces/payments/configmaps HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
        + fx.mint("smuggler") + "\r\nContent-Type: application/json\r\nTransfer-Encoding: " + te + "\r\n\r\n"
        + "2\r\n{}\r\n0\r\n\r\n");

    AttackProbe.assertRawStatus(response, 501, "NotImplemented");
    probe.assertDenied("protocol", 501);
    assertThat(fx.kubeSim.requests()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("duplicateContentLengths")
  void shouldRefuseMoreThanOneContentLength(String lengths) throws Exception {
    String response = probe.raw("POST /api/v1/namespaces/payments/configmaps HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
        + fx.mint("smuggler") + "\r\nContent-Type: application/json\r\n" + lengths + "\r\n\r\n{}{}{}");

    AttackProbe.assertRawStatus(response, 400, "BadRequest");
    probe.assertDeniedAnonymously("protocol", 400);
    assertThat(fx.kubeSim.requests()).isEmpty();
  }

  static Stream<String> duplicateContentLengths() {
    return Stream.of("Content-Length: 2\r\nContent-Length: 6", "Content-Length: 2, 6", "Content-Length: 2\r\nContent-Length: 2");
  }

  @Test
  void shouldRefuseADuplicateHostHeader() throws Exception {
    String response = probe.raw("GET /api/v1/namespaces/payments/pods HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: evil.example\r\n"
        + "Authorization: Bearer " + fx.mint("smuggler") + "\r\n\r\n");

    AttackProbe.assertRawStatus(response, 400, "BadRequest");
    assertThat(response).contains("more than one Host header");
    VigilEvent received = probe.assertDenied("protocol", 400);
    assertThat(received.getIdentity().getUsername()).isEqualTo("smuggler");
    assertThat(fx.kubeSim.requests()).isEmpty();
  }

  // ---------------------------------------------------------------- path canonicalisation

  static Stream<String> encodedExecPaths() {
    return Stream.of(
        "/api/v1/namespaces/kube-system/%70ods/x/exec",
        "/api/v1/namespaces/kube-system/pods/x/%65xec",
        "/api/v1/namespaces/payments/../kube-system/pods/x/exec",
        "/api/v1/namespaces/kube-system/pods/x/log/../exec",
        "/api/v1/namespaces/kube-system/pods/x%2Fexec",
        "/api/v1/namespaces/kube-system/pods/x/exec;x=1",
        "/api/v1/namespaces/kube-system/pods;x=1/x/exec");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("encodedExecPaths")
  void shouldNotLetAnEncodingOfADeniedPathThrough(String path) throws Exception {
    String response = probe.raw("POST " + path + "?command=id HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
        + fx.mint("encoder") + "\r\nContent-Length: 0\r\n\r\n");

    int status = AttackProbe.rawStatus(response);
    assertThat(status).as(response).isIn(400, 403);
    assertThat(response).contains("\"kind\":\"Status\"");
    // 403 comes from the built-in guardrail, which denies exec in kube-system before the policy's own rule
    probe.assertDenied(status == 403 ? "guardrail:no-exec-kube-system" : "request-validation", status);
    assertThat(fx.kubeSim.requests()).isEmpty();
  }

  // ---------------------------------------------------------------- oversized requests

  @Test
  void shouldRefuseAnOversizedHeaderWith431AndRecordIt() throws Exception {
    String token = fx.mint("big-header");
    String response = probe.raw("GET /api/v1/namespaces/payments/pods HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
        + token + "\r\nX-Padding: " + "a".repeat(64 * 1024) + "\r\n\r\n");

    AttackProbe.assertRawStatus(response, 431, "RequestHeaderFieldsTooLarge");
    VigilEvent received = probe.assertDeniedAnonymously("request-size", 431);
    assertThat(received.getRequest().getMethod()).isEqualTo("GET");
    assertThat(received.getRequest().getPath()).isEqualTo("/api/v1/namespaces/payments/pods");
    assertThat(received.getRequest().getSourceAddress()).startsWith("127.0.0.1:");
    assertThat(sink.events().toString()).doesNotContain(token).doesNotContain("a".repeat(1024));
    assertThat(fx.kubeSim.requests()).isEmpty();
  }

  @Test
  void shouldRefuseAnOversizedBodyWith413() throws Exception {
    String body = "{\"data\":\"" + "a".repeat(8192) + "\"}";
    HttpResponse<Buffer> resp = await(fx.client().post("/api/v1/namespaces/payments/configmaps")
        .putHeader("Authorization", "Bearer " + fx.mint("big-body"))
        .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(body)));

    AttackProbe.assertStatus(resp, 413, "RequestEntityTooLarge");
    probe.assertDenied("request-size", 413);
    assertThat(fx.kubeSim.requests()).isEmpty();
  }

  // ---------------------------------------------------------------- upstream choice by the client

  @Test
  void shouldNotLetAnAbsoluteFormTargetChooseTheUpstream() throws Exception {
    String response = probe.raw("GET https://evil.example/api/v1/namespaces/payments/pods HTTP/1.1\r\nHost: evil.example\r\n"
        + "Authorization: Bearer " + fx.mint("redirector") + "\r\n\r\n");

    int status = AttackProbe.rawStatus(response);
    List<RecordedRequest> forwarded = fx.kubeSim.requests();
    if (status == 200) {
      assertThat(forwarded).hasSize(1); // served by the configured upstream, the only one it knows
      assertThat(forwarded.get(0).path()).isEqualTo("/api/v1/namespaces/payments/pods");
    } else {
      assertThat(status).as(response).isEqualTo(400);
      probe.assertDenied("protocol", 400);
      assertThat(forwarded).isEmpty();
    }
  }

  @Test
  void shouldNotLetAHostHeaderChooseTheUpstream() throws Exception {
    HttpResponse<Buffer> resp = await(fx.client().get("/api/v1/namespaces/payments/pods")
        .putHeader("Authorization", "Bearer " + fx.mint("redirector"))
        .putHeader("Host", "evil.example").send());

    assertThat(resp.statusCode()).isEqualTo(200);
    RecordedRequest upstream = GatewayTest.single(fx.kubeSim.requests());
    assertThat(upstream.path()).isEqualTo("/api/v1/namespaces/payments/pods");
    assertThat(upstream.header("host")).doesNotContain("evil.example");
  }
}
