package dev.vigil.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.vertx.core.json.JsonObject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.vigil.embedded.junit.OpenSearchExtension;
import dev.vigil.embedded.oidc.DevOidcIssuer;
import dev.vigil.embedded.opensearch.EmbeddedOpenSearch;
import dev.vigil.query.fixture.Docs;
import dev.vigil.query.fixture.RecordedSession;
import dev.vigil.schema.Effect;

/**
 * Attack suite, requests: forged and foreign tokens, a token naming a reserved identity, an unverified e-mail,
 * malformed and oversized parameters, path tricks (dot segments, encoded slashes, double encoding) — each refused in
 * the one error shape (401/400/404/414/431), none with another identity's data, each on the audit trail without the
 * token.
 */
@ExtendWith(OpenSearchExtension.class)
class QueryApiRequestAttackIT {

  private static ApiHarness h;
  private static SessionsScenario s;
  private static AttackProbe probe;
  private static String attacker;
  private static RecordedSession anonymous;

  @BeforeAll
  static void start(EmbeddedOpenSearch os) throws Exception {
    h = new ApiHarness(os, Map.of());
    s = new SessionsScenario(h);
    // what the gateway records for unauthenticated calls: identity system:anonymous
    anonymous = new RecordedSession("anonymous", "system:anonymous", 1, SessionsScenario.T0, h.partitions);
    anonymous.kube("list", "secrets", "kube-system", null, null, null, Effect.DENY, 401, null, "{\"probe\":\"anon-marker\"}");
    h.index.events(anonymous.events());
    h.index.documents(h.index.sessionsIndex, Map.of(anonymous.sessionId(),
        Docs.session(anonymous, true, h.keys, ApiHarness.KEY_ID, 0)));
    List<String> markers = new java.util.ArrayList<>(QueryApiAttackIT.victimMarkers(s));
    markers.add("anon-marker");
    probe = new AttackProbe(h.api.port(), markers);
    attacker = h.agent("agent-2");
  }

  @AfterAll
  static void stop() throws Exception {
    if (h != null) {
      h.close();
    }
  }

  @Test
  void shouldRefuseEveryForgedForeignOrReservedToken() throws Exception {
    DevOidcIssuer foreign = QueryApiAuthTest.await(DevOidcIssuer.start(h.vertx, 0));
    try (AuditCapture audit = new AuditCapture()) {
      JsonObject analystClaims = h.issuer.claims("mallory", List.of("vigil-analysts"), Duration.ofMinutes(5));
      long now = QueryApiAuthTest.now();
      Map<String, String> tokens = new LinkedHashMap<>();
      tokens.put("garbage", "not-a-jwt");
      tokens.put("wrong audience", h.issuer.mint(analystClaims.copy().put("aud", "kubernetes")));
      tokens.put("wrong issuer (another real issuer)", foreign.mint("analyst-1", List.of("vigil-analysts"), Duration.ofMinutes(5)));
      tokens.put("issuer claim of another", h.issuer.mint(analystClaims.copy().put("iss", foreign.issuerUrl())));
      tokens.put("expired", h.issuer.mint(analystClaims.copy().put("iat", now - 7200).put("nbf", now - 7200).put("exp", now - 3600)));
      tokens.put("alg none", QueryApiAuthTest.unsigned(analystClaims));
      tokens.put("HS256", QueryApiAuthTest.hs256(analystClaims));
      tokens.put("tampered into an analyst", promoted(attacker));
      tokens.put("unknown key", h.issuer.mintWithUnknownKey("analyst-1"));
      tokens.put("system:anonymous", h.issuer.mint("system:anonymous", List.of(), Duration.ofMinutes(5)));
      tokens.put("System:Anonymous", h.issuer.mint("System:Anonymous", List.of(), Duration.ofMinutes(5)));
      String victim = SessionsScenario.path(s.payments.sessionId());
      for (Map.Entry<String, String> t : tokens.entrySet()) {
        for (String[] call : List.of(new String[] {"GET", "/api/v1/sessions"}, new String[] {"GET", victim + "/export"},
            new String[] {"POST", victim + "/verify"}, new String[] {"GET", victim + "/tail"},
            new String[] {"GET", "/api/v1/events?q=*"}, new String[] {"GET", "/api/v1/no-such-route"})) {
          AttackProbe.Answer a = probe.refused(call[0], call[1], t.getValue(), 401);
          AttackProbe.audited(audit, a, null, t.getValue());
        }
      }
      for (Map<String, String> headers : List.of(Map.<String, String>of(), Map.of("Authorization", "Basic YWdlbnQtMjpwdw=="),
          Map.of("Authorization", "Bearer"), Map.of("Authorization", "bearer  " + attacker + " extra"))) {
        AttackProbe.Answer a = probe.send("GET", "/api/v1/sessions", headers);
        AttackProbe.assertErrorShape(a);
        assertThat(a.status()).isEqualTo(401);
        AttackProbe.audited(audit, a, null, attacker);
      }
      // a token in the query string is no credential, and is not written to the audit log
      AttackProbe.Answer a = probe.refused("GET", "/api/v1/sessions?access_token=" + attacker, null, 401);
      assertThat(AttackProbe.audited(audit, a, null, attacker).encode()).doesNotContain(attacker.split("\\.")[1]);
    } finally {
      QueryApiAuthTest.await(foreign.close());
    }
    // positive control: the unauthenticated calls' session exists, an analyst reads it
    assertThat(probe.send("GET", "/api/v1/sessions?identity=system:anonymous", h.analyst()).json().getLong("total")).isOne();
  }

  @Test
  void shouldNotLetAnUnverifiedEmailReadTheRecordsOfThatAddress() throws Exception {
    QueryApi byEmail = h.another(Map.of("vigil.query.oidc.username-claim", "email"));
    try (AuditCapture audit = new AuditCapture()) {
      AttackProbe emailProbe = new AttackProbe(byEmail.port(), QueryApiAttackIT.victimMarkers(s));
      JsonObject claims = h.issuer.claims("mallory", List.of("ai-agents"), Duration.ofMinutes(5)).put("email", "agent-1");
      String unverified = h.issuer.mint(claims.copy().put("email_verified", false));
      AttackProbe.audited(audit, emailProbe.refused("GET", "/api/v1/sessions", unverified, 401), null, unverified);
      // control: the same address, verified, is agent-1's and reads its sessions
      String verified = h.issuer.mint(claims.copy().put("email_verified", true));
      assertThat(emailProbe.send("GET", "/api/v1/sessions", verified).json().getLong("total")).isEqualTo(2);
    } finally {
      QueryApiAuthTest.await(byEmail.close());
    }
  }

  @Test
  void shouldRefuseMalformedAndOversizedParameters() {
    String own = SessionsScenario.path(s.other.sessionId());
    List<String> bad = List.of("/api/v1/sessions?size=0", "/api/v1/sessions?size=-1",
        "/api/v1/sessions?size=99999999999999999999", "/api/v1/sessions?size=abc", "/api/v1/sessions?size=1e3",
        "/api/v1/sessions?from=yesterday", "/api/v1/sessions?from=2025-13-45T00:00:00Z",
        "/api/v1/sessions?from=2025-05-06T00:00:00Z&to=2025-05-05T00:00:00Z", "/api/v1/sessions?status=DROP%20TABLE",
        "/api/v1/sessions?sort=identity.username", "/api/v1/sessions?sort=_id", "/api/v1/sessions?order=sideways",
        "/api/v1/sessions?hasAlerts=maybe", "/api/v1/sessions?q=" + "a".repeat(1001),
        "/api/v1/sessions?namespace=" + "n".repeat(1025), "/api/v1/sessions?identity=agent-2&identity=agent-1",
        "/api/v1/sessions?size=1&size=500", "/api/v1/sessions?q=%zz", "/api/v1/sessions?q=%", "/api/v1/events?size=%ff%fe",
        "/api/v1/events?size=501", "/api/v1/events?%zz=1", "/api/v1/alerts?severity=%3Cscript%3E",
        "/api/v1/alerts?script=%3Cscript%3Ealert(1)%3C/script%3E", own + "/tail?afterOffset=-5", own + "/tail?afterOffset=x",
        own + "?size=1", "/api/v1/sessions?access_token=" + attacker);
    try (AuditCapture audit = new AuditCapture()) {
      for (String path : bad) {
        AttackProbe.Answer a = probe.refused("GET", path, attacker, 400);
        assertThat(a.body()).doesNotContain("<"); // a message quoting a bad value has no markup, even undecoded
        AttackProbe.audited(audit, a, "agent-2", attacker);
      }
      assertThat(probe.send("GET", "/api/v1/alerts?severity=%3Cb%3E", attacker).json().getJsonObject("error")
          .getString("message")).endsWith("was '<b>'"); // …yet the decoded message quotes it as it was
      AttackProbe.Answer longUri = probe.refused("GET", "/api/v1/sessions?q=" + "x".repeat(5000), attacker, 414);
      AttackProbe.audited(audit, longUri, null, attacker);
      AttackProbe.Answer bigHeader = probe.send("GET", "/api/v1/sessions",
          Map.of("Authorization", "Bearer " + attacker, "X-Padding", "p".repeat(10_000)));
      assertThat(bigHeader.status()).isEqualTo(431);
      AttackProbe.assertErrorShape(bigHeader);
      AttackProbe.audited(audit, bigHeader, null, attacker);
    }
  }

  @Test
  void shouldNotLetPathTricksReachAnotherIdentitysRecordsOrSkipAuthentication() {
    String victimId = s.payments.sessionId();
    String encoded = SessionsScenario.path(victimId).substring("/api/v1/sessions/".length());
    String raw = victimId.replace(" ", "%20").replace("#", "%23"); // its '/' left unencoded
    List<String> tricks = List.of("/api/v1/sessions/..%2F..%2Fsessions", "/api/v1/sessions/%2e%2e",
        "/api/v1/sessions/agent-2%2F..%2F" + encoded, "/api/v1/sessions/" + encoded.replace("%", "%25"),
        "/api/v1/sessions/" + raw, "/api/v1/sessions/" + raw + "/export", "/api/v1/sessions/" + encoded + "%00",
        "/api/v1/sessions/" + encoded + "%2Fexport", "/api/v1/sessions/" + encoded + "/../" + encoded + "/export",
        "/api/v1/events/../sessions/" + encoded, "/api/v1/sessions/%2e%2e/sessions/" + encoded + "/transcript",
        "/api//v1/sessions/" + encoded, "/api/v1/sessions/" + encoded + ";owner=agent-2",
        "/api/v1/sessions/" + encoded + "/exec/..%2F..%2F" + s.exec + ".cast", "/api/v1/sessions/" + encoded + "/exec/" + s.exec + "%2Ecast");
    try (AuditCapture audit = new AuditCapture()) {
      for (String path : tricks) {
        AttackProbe.Answer a = probe.refused("GET", path, attacker, 400, 403, 404);
        AttackProbe.audited(audit, a, "agent-2", attacker);
      }
      for (String path : List.of("/ui/../api/v1/sessions", "/ui/..%2Fapi/v1/sessions", "/%2e%2e/api/v1/sessions/" + encoded,
          "/api/v1/../v1/sessions", "/healthz/../api/v1/sessions", "/api/openapi.json/../v1/sessions",
          "/api/openapi.json%2F..%2Fv1%2Fsessions", "/./api/v1/sessions/" + encoded + "/export")) {
        AttackProbe.Answer a = probe.refused("GET", path, null, 401, 404);
        if (a.status() == 401) {
          AttackProbe.audited(audit, a, null, null);
        }
      }
    }
  }

  /** agent-2's own token with vigil-analysts added to its groups, the signature left as it was. */
  private static String promoted(String token) {
    String[] parts = token.split("\\.");
    JsonObject claims = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
    claims.put("groups", claims.getJsonArray("groups").add("vigil-analysts"));
    return parts[0] + "." + QueryApiAuthTest.b64(claims.encode()) + "." + parts[2];
  }
}
