package dev.vigil.proxy;

import static dev.vigil.proxy.GatewayFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.vigil.kubesim.RecordedRequest;
import dev.vigil.schema.Effect;
import dev.vigil.schema.RequestReceived;
import dev.vigil.schema.ResponseCompleted;
import dev.vigil.schema.VigilEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;

/**
 * Several trusted issuers at once, kube-apiserver style identity mapping, key rotation (unknown key id → JWKS
 * re-read; periodic re-read drops removed keys) and every way a token is refused: 401, nothing forwarded, a DENY
 * recorded with the reason.
 */
class OidcIssuersTest {

  @TempDir
  static Path dir;
  static GatewayFixture fx;
  static RotatingIssuer rot;
  static final InMemorySink sink = new InMemorySink();

  @BeforeAll
  static void start() throws Exception {
    fx = new GatewayFixture(dir);
    rot = await(RotatingIssuer.start(fx.vertx, "vigil"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (rot != null) {
      await(rot.close());
    }
    if (fx != null) {
      fx.close();
    }
  }

  @BeforeEach
  void reset() {
    sink.clear();
    fx.kubeSim.clearRequests();
  }

  /** A gateway trusting the dev issuer (prefix dev:) and the rotating one (named "rot", default prefix rot:). */
  private static VigilProxy gateway(Map<String, String> extra) throws Exception {
    Map<String, String> m = new HashMap<>();
    m.put(ProxyConfig.OIDC_USERNAME_PREFIX, "dev:");
    m.put(ProxyConfig.OIDC_GROUPS_PREFIX, "dev:");
    m.put(ProxyConfig.OIDC_ISSUERS, "rot");
    m.put(OidcIssuerConfig.key("rot", "url"), rot.issuerUrl());
    m.putAll(extra);
    return fx.startProxy(fx.settings(m), sink);
  }

  private static HttpResponse<Buffer> get(VigilProxy proxy, String token, String session) throws Exception {
    WebClient client = fx.client(proxy.port());
    try {
      var req = client.get("/api/v1/namespaces/payments/pods").putHeader("Authorization", "Bearer " + token);
      if (session != null) {
        req.putHeader("X-Vigil-Session", session);
      }
      return await(req.send());
    } finally {
      client.close();
    }
  }

  @Test
  void shouldAcceptEveryTrustedIssuerAndForwardTheMappedIdentity() throws Exception {
    VigilProxy proxy = gateway(Map.of());

    HttpResponse<Buffer> fromDev = get(proxy, fx.mint("agent-1"), null);
    HttpResponse<Buffer> fromRot = get(proxy, rot.mint("alice", List.of("sre")), "task-7");

    assertThat(fromDev.statusCode()).isEqualTo(200);
    assertThat(fromRot.statusCode()).isEqualTo(200);
    List<RecordedRequest> seen = fx.kubeSim.requests();
    assertThat(seen).hasSize(2);
    assertThat(seen.get(0).headers("impersonate-user")).containsExactly("dev:agent-1");
    assertThat(seen.get(0).headers("impersonate-group")).containsExactly("dev:agents", "dev:dev");
    assertThat(seen.get(0).headers("impersonate-extra-vigil-session")).containsExactly("dev:agent-1");
    assertThat(seen.get(1).headers("impersonate-user")).containsExactly("rot:alice");
    assertThat(seen.get(1).headers("impersonate-group")).containsExactly("rot:sre");
    assertThat(seen.get(1).headers("impersonate-extra-vigil-session")).containsExactly("rot:alice/task-7");
    assertThat(seen).allSatisfy(r -> {
      assertThat(r.headers("authorization")).containsExactly("Bearer " + GatewayFixture.GATEWAY_TOKEN);
      assertThat(r.headers("x-forwarded-for")).containsExactly("127.0.0.1");
    });
    List<VigilEvent> events = sink.await(e -> true, 4, Duration.ofSeconds(5));
    assertThat(events).extracting(VigilEvent::getSessionKey)
        .containsExactlyInAnyOrder("dev:agent-1", "dev:agent-1", "rot:alice/task-7", "rot:alice/task-7");
    assertThat(events).filteredOn(e -> e.getSessionKey().startsWith("rot:")).allSatisfy(e -> {
      assertThat(e.getIdentity().getSubject()).isEqualTo("alice");
      assertThat(e.getIdentity().getUsername()).isEqualTo("rot:alice");
      assertThat(e.getIdentity().getIssuer()).isEqualTo(rot.issuerUrl());
    });
  }

  @Test
  void shouldRefuseEveryBadTokenWith401RecordTheReasonAndForwardNothing() throws Exception {
    VigilProxy proxy = gateway(Map.of());
    long now = Instant.now().getEpochSecond();
    Map<String, String[]> cases = new LinkedHashMap<>();
    cases.put("expired", new String[] {rot.mint(rot.claims("a", List.of(), Duration.ofMinutes(5)).put("exp", now - 120)),
        "token expired"});
    cases.put("not yet valid", new String[] {rot.mint(rot.claims("a", List.of(), Duration.ofMinutes(30)).put("nbf", now + 600)),
        "not valid yet"});
    cases.put("issued in the future", new String[] {rot.mint(rot.claims("a", List.of(), Duration.ofMinutes(30))
        .put("iat", now + 600)), "issued in the future"});
    cases.put("wrong issuer", new String[] {rot.mint(rot.claims("a", List.of(), Duration.ofMinutes(5))
        .put("iss", "https://evil.example")), "issuer is not trusted"});
    cases.put("other issuer's iss", new String[] {rot.mint(rot.claims("a", List.of(), Duration.ofMinutes(5))
        .put("iss", fx.issuer.issuerUrl())), "signed by an unknown key"});
    cases.put("wrong audience", new String[] {rot.mint(rot.claims("a", List.of(), Duration.ofMinutes(5))
        .put("aud", "kubernetes")), "audience does not include 'vigil'"});
    cases.put("alg none", new String[] {GatewayTest.unsigned(rot.claims("a", List.of(), Duration.ofMinutes(5))),
        "algorithm none is not accepted"});
    cases.put("HS256 with the issuer's public key", new String[] {
        rot.mintHs256WithPublicKey(rot.claims("a", List.of(), Duration.ofMinutes(5))), "algorithm HS256 is not accepted"});
    cases.put("unknown key", new String[] {fx.issuer.mintWithUnknownKey("a"), "signed by an unknown key"});
    cases.put("tampered payload", new String[] {tamper(rot.mint("a", List.of())), "signature is invalid"});
    cases.put("garbage", new String[] {"not-a-jwt", "malformed token"});

    for (Map.Entry<String, String[]> c : cases.entrySet()) {
      sink.clear();
      HttpResponse<Buffer> resp = get(proxy, c.getValue()[0], null);

      assertThat(resp.statusCode()).as(c.getKey()).isEqualTo(401);
      assertThat(resp.bodyAsJsonObject().getString("reason")).as(c.getKey()).isEqualTo("Unauthorized");
      List<VigilEvent> events = sink.await(e -> true, 2, Duration.ofSeconds(5));
      assertThat(events).as(c.getKey()).hasSize(2);
      RequestReceived rr = (RequestReceived) events.get(0).getPayload();
      assertThat(rr.getDecision().getEffect()).as(c.getKey()).isEqualTo(Effect.DENY);
      assertThat(rr.getDecision().getRuleId()).isEqualTo("authentication");
      assertThat(rr.getDecision().getReason()).as(c.getKey()).startsWith("unauthenticated: ").contains(c.getValue()[1]);
      assertThat(events.get(0).getSessionKey()).isEqualTo("anonymous");
      assertThat(events.get(0).getIdentity().getAuthenticated()).isFalse();
      assertThat(((ResponseCompleted) events.get(1).getPayload()).getStatus()).isEqualTo(401);
      assertThat(events.toString()).as(c.getKey()).doesNotContain(c.getValue()[0]);
    }
    assertThat(fx.kubeSim.requests()).isEmpty();
  }

  @Test
  void shouldRefuseIdentitiesInTheReservedSystemNamespace() throws Exception {
    VigilProxy proxy = gateway(Map.of(ProxyConfig.OIDC_GROUPS_PREFIX, "-", ProxyConfig.OIDC_USERNAME_PREFIX, "-",
        ProxyConfig.OIDC_ISSUERS, ""));

    HttpResponse<Buffer> masters = get(proxy, fx.issuer.mint("agent-9", List.of("system:masters"), Duration.ofMinutes(5)), null);
    HttpResponse<Buffer> admin = get(proxy, fx.mint("system:admin"), null);

    assertThat(masters.statusCode()).isEqualTo(401);
    assertThat(masters.bodyAsJsonObject().getString("message")).contains("reserved group");
    assertThat(admin.statusCode()).isEqualTo(401);
    assertThat(admin.bodyAsJsonObject().getString("message")).contains("reserved username");
    assertThat(fx.kubeSim.requests()).isEmpty();
  }

  @Test
  void shouldAcceptANewKeyAfterRotationByReReadingTheJwksOnAnUnknownKeyId() throws Exception {
    VigilProxy proxy = gateway(Map.of(ProxyConfig.OIDC_JWKS_MIN_REFRESH_INTERVAL, "0s"));
    assertThat(get(proxy, rot.mint("bob", List.of()), null).statusCode()).isEqualTo(200);
    int fetches = rot.jwksFetches();

    rot.rotate(true);
    HttpResponse<Buffer> resp = get(proxy, rot.mint("bob", List.of()), null);

    assertThat(resp.statusCode()).isEqualTo(200);
    assertThat(rot.jwksFetches()).isEqualTo(fetches + 1);
  }

  @Test
  void shouldReReadTheJwksAtMostOncePerMinimumIntervalForUnknownKeyIds() throws Exception {
    VigilProxy proxy = gateway(Map.of(ProxyConfig.OIDC_JWKS_MIN_REFRESH_INTERVAL, "1h",
        ProxyConfig.OIDC_JWKS_REFRESH_INTERVAL, "1h"));
    int fetches = rot.jwksFetches();
    Object before = rot.currentKey();
    rot.rotate(true);

    for (int i = 0; i < 5; i++) {
      assertThat(get(proxy, rot.mint("carol", List.of()), null).statusCode()).isEqualTo(401);
    }

    assertThat(rot.jwksFetches()).isEqualTo(fetches);
    assertThat(get(proxy, rot.mintWith(before, rot.claims("carol", List.of(), Duration.ofMinutes(5))), null).statusCode())
        .isEqualTo(200);
  }

  @Test
  void shouldStopTrustingAKeyTheIssuerNoLongerPublishesAfterThePeriodicRefresh() throws Exception {
    VigilProxy proxy = gateway(Map.of(ProxyConfig.OIDC_JWKS_REFRESH_INTERVAL, "1s",
        ProxyConfig.OIDC_JWKS_MIN_REFRESH_INTERVAL, "0s"));
    Object old = rot.currentKey();
    String oldToken = rot.mintWith(old, rot.claims("dave", List.of(), Duration.ofMinutes(5)));
    assertThat(get(proxy, oldToken, null).statusCode()).isEqualTo(200);

    rot.rotate(false);
    int fetches = rot.jwksFetches();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (rot.jwksFetches() < fetches + 2 && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }

    sink.clear();
    HttpResponse<Buffer> refused = get(proxy, oldToken, null);
    assertThat(refused.statusCode()).isEqualTo(401);
    RequestReceived rr = (RequestReceived) sink.await(e -> true, 1, Duration.ofSeconds(5)).get(0).getPayload();
    assertThat(rr.getDecision().getReason()).isEqualTo("unauthenticated: token signed by an unknown key");
    assertThat(get(proxy, rot.mint("dave", List.of()), null).statusCode()).isEqualTo(200);
    await(proxy.close()); // stops its periodic JWKS reads, which other tests count
  }

  /** The same header and signature with a payload that claims another subject. */
  private static String tamper(String token) {
    String[] parts = token.split("\\.");
    JsonObject claims = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8))
        .put("sub", "root");
    return parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(claims.encode()
        .getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
  }
}
