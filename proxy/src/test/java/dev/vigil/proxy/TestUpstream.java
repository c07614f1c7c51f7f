package dev.vigil.proxy;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.net.ssl.SSLPeerUnverifiedException;

import dev.vigil.embedded.pki.DevPki;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;

/**
 * A test-only Kubernetes API stand-in for what kube-sim does not do: the TokenRequest API
 * ({@code POST /api/v1/namespaces/<ns>/serviceaccounts/<sa>/token}, answered with tokens of a fixed, short lifetime)
 * and TLS client-certificate authentication (required when asked). Every other call answers 200 with a tiny list if
 * its credential is valid (an issued token, or the client certificate), else 401. Records what it saw.
 */
public final class TestUpstream {

  /** One request: path, Authorization header (or null) and the client certificate's subject (or null). */
  public record Seen(String method, String path, String authorization, String clientSubject, JsonObject body) {}

  private final HttpServer server;
  private final List<Seen> seen = new CopyOnWriteArrayList<>();
  private final Set<String> issued = ConcurrentHashMap.newKeySet();
  private final String baseToken;
  private final Duration lifetime;

  private TestUpstream(Vertx vertx, DevPki pki, String baseToken, Duration lifetime, boolean requireClientCert) {
    this.baseToken = baseToken;
    this.lifetime = lifetime;
    HttpServerOptions options = new HttpServerOptions().setSsl(true)
        .setKeyCertOptions(pki.issueServer("test-upstream", List.of("localhost"), List.of("127.0.0.1")).pemKeyCertOptions());
    if (requireClientCert) {
      options.setClientAuth(ClientAuth.REQUIRED).setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(pki.caCertPem())));
    }
    this.server = vertx.createHttpServer(options).requestHandler(req -> req.body().onSuccess(b -> handle(req, b)));
  }

  /** Starts on 127.0.0.1; {@code baseToken} (or, if null, the client certificate) may request tokens. */
  public static Future<TestUpstream> start(Vertx vertx, DevPki pki, String baseToken, Duration lifetime,
      boolean requireClientCert) {
    TestUpstream u = new TestUpstream(vertx, pki, baseToken, lifetime, requireClientCert);
    return u.server.listen(0, "127.0.0.1").map(s -> u);
  }

  public String url() {
    return "https://127.0.0.1:" + server.actualPort();
  }

  public List<Seen> seen() {
    return List.copyOf(seen);
  }

  public void clear() {
    seen.clear();
  }

  private void handle(HttpServerRequest req, Buffer body) {
    String subject = clientSubject(req);
    String authorization = req.getHeader("Authorization");
    JsonObject json = body.length() > 0 ? body.toJsonObject() : null;
    seen.add(new Seen(req.method().name(), req.path(), authorization, subject, json));
    if (req.method().name().equals("POST") && req.path().matches("/api/v1/namespaces/[^/]+/serviceaccounts/[^/]+/token")) {
      boolean allowed = baseToken != null ? ("Bearer " + baseToken).equals(authorization) : subject != null;
      if (!allowed) {
        status(req, 403, "Forbidden", "cannot create serviceaccounts/token");
        return;
      }
      String token = "sa-token-" + UUID.randomUUID();
      issued.add(token);
      JsonObject answer = new JsonObject().put("kind", "TokenRequest").put("apiVersion", "authentication.k8s.io/v1")
          .put("spec", json == null ? new JsonObject() : json.getJsonObject("spec"))
          .put("status", new JsonObject().put("token", token)
              .put("expirationTimestamp", Instant.now().plus(lifetime).truncatedTo(ChronoUnit.SECONDS).toString()));
      req.response().setStatusCode(201).putHeader("Content-Type", "application/json").end(answer.encode());
      return;
    }
    boolean valid = authorization != null ? issued.contains(authorization.substring("Bearer ".length()))
        : subject != null;
    if (!valid) {
      status(req, 401, "Unauthorized", "Unauthorized");
      return;
    }
    req.response().putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("kind", "NamespaceList").put("apiVersion", "v1").put("items", List.of()).encode());
  }

  private static String clientSubject(HttpServerRequest req) {
    try {
      var certs = req.connection().peerCertificates();
      return certs.isEmpty() ? null : ((java.security.cert.X509Certificate) certs.get(0)).getSubjectX500Principal().getName();
    } catch (SSLPeerUnverifiedException e) {
      return null;
    }
  }

  private static void status(HttpServerRequest req, int code, String reason, String message) {
    req.response().setStatusCode(code).putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("kind", "Status").put("apiVersion", "v1").put("status", "Failure")
            .put("reason", reason).put("message", message).put("code", code).encode());
  }

  public Future<Void> close() {
    return server.close();
  }
}
