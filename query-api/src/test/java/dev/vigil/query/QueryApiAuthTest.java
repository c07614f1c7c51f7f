package dev.vigil.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.vigil.common.Settings;
import dev.vigil.embedded.oidc.DevOidcIssuer;

/** Authentication, authorization and the error shape, with a real (dev) OIDC issuer and no OpenSearch at all. */
class QueryApiAuthTest {

  private static Vertx vertx;
  private static DevOidcIssuer issuer;
  private static QueryApi api;
  private static Http http;

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    issuer = await(DevOidcIssuer.start(vertx, 0));
    int deadPort;
    try (ServerSocket s = new ServerSocket(0)) {
      deadPort = s.getLocalPort();
    }
    api = await(QueryApi.start(vertx, QueryApiConfig.from(Settings.of(Map.of(
        "vigil.query.port", "0",
        "vigil.query.oidc.issuer", issuer.issuerUrl(),
        "vigil.query.opensearch.url", "http://127.0.0.1:" + deadPort)))));
    http = new Http(api.port());
  }

  @AfterAll
  static void stop() throws Exception {
    if (api != null) {
      await(api.close());
    }
    if (issuer != null) {
      await(issuer.close());
    }
    await(vertx.close());
  }

  private static String analystToken() {
    return issuer.mint("alice", List.of("vigil-analysts"), Duration.ofMinutes(5));
  }

  private static void assertError(Http.Reply r, int status, String code) {
    assertThat(r.status()).isEqualTo(status);
    assertThat(r.header("Content-Type")).startsWith("application/json");
    JsonObject error = r.body().getJsonObject("error");
    assertThat(error.getString("code")).isEqualTo(code);
    assertThat(error.getString("message")).isNotBlank();
    assertThat(error.getString("requestId")).isNotBlank().isEqualTo(r.header("X-Request-Id"));
    assertThat(r.body().fieldNames()).containsExactly("error");
  }

  @Test
  void shouldServeHealthWithoutAToken() {
    Http.Reply r = http.get("/healthz", null);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body().getString("status")).isEqualTo("ok");
  }

  @Test
  void shouldAnswerNotReadyWithoutATokenWhenOpenSearchIsDown() {
    Http.Reply r = http.get("/readyz", null);
    assertThat(r.status()).isEqualTo(503);
    assertThat(r.body().getString("status")).isEqualTo("not-ready");
    assertThat(r.body().getJsonObject("checks").getJsonObject("opensearch").getBoolean("ready")).isFalse();
  }

  @Test
  void shouldTimeRequestsByRoute() {
    dev.vigil.ops.VigilMetrics.prometheus();
    http.get("/healthz", null);
    http.get("/api/v1/sessions/s-1/transcript", analystToken());

    String scrape = dev.vigil.ops.VigilMetrics.prometheus().scrape();

    assertThat(scrape).contains("vigil_query_requests_seconds_count{endpoint=\"/healthz\",method=\"GET\",status=\"200\"}")
        .contains("endpoint=\"/api/v1/sessions/:sessionId/transcript\"")
        .doesNotContain("s-1");
  }

  @Test
  void shouldAnswer401WithoutAToken() {
    Http.Reply r = http.get("/api/v1/events", null);
    assertError(r, 401, "unauthorized");
    assertThat(r.header("WWW-Authenticate")).isEqualTo("Bearer");
  }

  @Test
  void shouldAnswer401ForTokensThatDoNotValidate() throws Exception {
    JsonObject wrongAudience = issuer.claims("alice", List.of("vigil-analysts"), Duration.ofMinutes(5)).put("aud", "other");
    JsonObject noAudience = issuer.claims("alice", List.of("vigil-analysts"), Duration.ofMinutes(5));
    noAudience.remove("aud");
    JsonObject expired = issuer.claims("alice", List.of("vigil-analysts"), Duration.ofMinutes(5))
        .put("iat", now() - 7200).put("nbf", now() - 7200).put("exp", now() - 3600);
    JsonObject notYetValid = issuer.claims("alice", List.of("vigil-analysts"), Duration.ofMinutes(5)).put("nbf", now() + 3600);
    JsonObject otherIssuer = issuer.claims("alice", List.of("vigil-analysts"), Duration.ofMinutes(5))
        .put("iss", "https://evil.example");
    JsonObject noExpiry = issuer.claims("alice", List.of("vigil-analysts"), Duration.ofMinutes(5));
    noExpiry.remove("exp");

    Map<String, String> tokens = new java.util.LinkedHashMap<>();
    tokens.put("garbage", "not-a-jwt");
    tokens.put("unknown key", issuer.mintWithUnknownKey("alice"));
    tokens.put("wrong audience", issuer.mint(wrongAudience));
    tokens.put("no audience", issuer.mint(noAudience));
    tokens.put("expired", issuer.mint(expired));
    tokens.put("not yet valid", issuer.mint(notYetValid));
    tokens.put("other issuer", issuer.mint(otherIssuer));
    tokens.put("no expiry", issuer.mint(noExpiry));
    tokens.put("HS256", hs256(issuer.claims("alice", List.of("vigil-analysts"), Duration.ofMinutes(5))));
    tokens.put("alg none", unsigned(issuer.claims("alice", List.of("vigil-analysts"), Duration.ofMinutes(5))));
    tokens.put("tampered", tamper(analystToken()));

    for (Map.Entry<String, String> t : tokens.entrySet()) {
      Http.Reply r = http.get("/api/v1/events", t.getValue());
      assertThat(r.status()).as(t.getKey()).isEqualTo(401);
      assertError(r, 401, "unauthorized");
    }
  }

  @Test
  void shouldLetAuthenticatedCallersOutsideTheAnalystGroupThroughToTheirOwnData() {
    // no 403 up front: what a non-analyst may read is filtered per request (here the store is unreachable: 503)
    String token = issuer.mint("mallory", List.of("developers"), Duration.ofMinutes(5));
    assertError(http.get("/api/v1/events", token), 503, "unavailable");
    assertError(http.get("/api/v1/sessions?q=x", token), 503, "unavailable");
    assertError(http.get("/api/v1/alerts", token), 503, "unavailable");
  }

  @Test
  void shouldServeTheOpenApiDocumentWithoutAToken() {
    Http.Reply r = http.get("/api/openapi.json", null);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body().getString("openapi")).startsWith("3.1");
    assertThat(r.body().getJsonObject("paths").fieldNames()).contains("/api/v1/sessions", "/api/v1/alerts");
  }

  @Test
  void shouldAnswer400ForInvalidSessionAndAlertParameters() {
    String t = analystToken();
    assertError(http.get("/api/v1/sessions?size=0", t), 400, "bad_request");
    assertError(http.get("/api/v1/sessions?size=201", t), 400, "bad_request");
    assertError(http.get("/api/v1/sessions?sort=name", t), 400, "bad_request");
    assertError(http.get("/api/v1/sessions?order=up", t), 400, "bad_request");
    assertError(http.get("/api/v1/sessions?hasAlerts=maybe", t), 400, "bad_request");
    assertError(http.get("/api/v1/sessions?status=GONE", t), 400, "bad_request");
    assertError(http.get("/api/v1/sessions?from=yesterday", t), 400, "bad_request");
    assertError(http.get("/api/v1/sessions?from=2025-05-06T00:00:00Z&to=2025-05-05T00:00:00Z", t), 400, "bad_request");
    assertError(http.get("/api/v1/sessions?searchAfter=garbage", t), 400, "bad_request");
    assertError(http.get("/api/v1/sessions?identity=a&identity=b", t), 400, "bad_request");
    assertError(http.get("/api/v1/sessions?q=" + "x".repeat(1001), t), 400, "bad_request");
    assertError(http.get("/api/v1/alerts?severity=URGENT", t), 400, "bad_request");
    assertError(http.get("/api/v1/alerts?colour=red", t), 400, "bad_request");
    assertError(http.get("/api/v1/sessions/s%231/transcript?x=1", t), 400, "bad_request");
    assertError(http.get("/api/v1/sessions/s%231/tail?afterOffset=-5", t), 400, "bad_request");
    Http.Reply r = http.get("/api/v1/sessions?sort=alertCount&size=0", t);
    assertThat(r.body().getJsonObject("error").getString("message")).contains("'size'").contains("200");
  }

  @Test
  void shouldAnswer400ForInvalidParameters() {
    assertError(http.get("/api/v1/events?size=0", analystToken()), 400, "bad_request");
    assertError(http.get("/api/v1/events?size=501", analystToken()), 400, "bad_request");
    assertError(http.get("/api/v1/events?colour=red", analystToken()), 400, "bad_request");
    assertError(http.get("/api/v1/sessions/s-1/events?size=x", analystToken()), 400, "bad_request");
  }

  @Test
  void shouldAnswer404ForUnknownRoutes() {
    assertError(http.get("/api/v1/nothing", analystToken()), 404, "not_found");
    assertError(http.get("/nothing", null), 404, "not_found");
    assertError(http.get("/api/v1/nothing", null), 401, "unauthorized");
  }

  @Test
  void shouldAnswer405ForWrongMethods() {
    assertError(http.send("POST", "/api/v1/events", analystToken(), null), 405, "method_not_allowed");
    assertError(http.send("GET", "/api/v1/sessions/s%231/verify", analystToken(), null), 405, "method_not_allowed");
  }

  @Test
  void shouldAnswer503WhenTheEventStoreIsUnreachable() {
    assertError(http.get("/api/v1/events", analystToken()), 503, "unavailable");
  }

  @Test
  void shouldEchoASafeClientRequestIdAndReplaceAnUnsafeOne() {
    Http.Reply ok = http.send("GET", "/api/v1/events", null, "trace-123");
    assertThat(ok.body().getJsonObject("error").getString("requestId")).isEqualTo("trace-123");
    Http.Reply unsafe = http.send("GET", "/api/v1/events", null, "bad id with spaces");
    assertThat(unsafe.body().getJsonObject("error").getString("requestId")).isNotEqualTo("bad id with spaces");
    Http.Reply overlong = http.send("GET", "/api/v1/events", null, "x".repeat(65));
    assertThat(overlong.body().getJsonObject("error").getString("requestId")).hasSizeLessThanOrEqualTo(64);
  }

  static long now() {
    return System.currentTimeMillis() / 1000;
  }

  static String b64(String s) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  static String hs256(JsonObject claims) throws Exception {
    String signingInput = b64("{\"alg\":\"HS256\",\"typ\":\"JWT\"}") + "." + b64(claims.encode());
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec("not-a-secret-anyone-has-0123456789".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return signingInput + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
        mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
  }

  static String unsigned(JsonObject claims) {
    return b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + b64(claims.encode()) + ".";
  }

  /** Same header and signature, different claims (a group added). */
  private static String tamper(String token) throws IOException {
    String[] parts = token.split("\\.");
    JsonObject claims = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
    claims.put("groups", claims.getJsonArray("groups").add("admins"));
    return parts[0] + "." + b64(claims.encode()) + "." + parts[2];
  }
}
