package dev.vigil.embedded.oidc;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * A development-only OpenID Connect issuer: serves {@code /.well-known/openid-configuration} and {@code /jwks} over
 * plain HTTP on loopback and mints RS256 tokens for any subject it is asked for. It exists so that tests and
 * {@code vigil demo} exercise the real OIDC validation path of the gateway; it authenticates nobody and must never
 * be exposed or used in production.
 *
 * <p>Also answers {@code POST /token} (form fields {@code subject}, {@code groups} comma-separated, optional
 * {@code ttl_seconds}) with {@code {"access_token": "..."}} — a convenience for the demo, equally dev-only.
 */
public final class DevOidcIssuer {

  /** The audience every minted token carries unless the caller supplies its own claims. */
  public static final String DEFAULT_AUDIENCE = "vigil";

  private final HttpServer server;
  private final String issuerUrl;
  private final RsaSigningKey signer;
  private final RsaSigningKey foreignSigner;

  private DevOidcIssuer(HttpServer server, String issuerUrl, RsaSigningKey signer, RsaSigningKey foreignSigner) {
    this.server = server;
    this.issuerUrl = issuerUrl;
    this.signer = signer;
    this.foreignSigner = foreignSigner;
  }

  /** Starts the issuer on 127.0.0.1:{@code port} (0 = any free port). */
  public static Future<DevOidcIssuer> start(Vertx vertx, int port) {
    return start(vertx, "127.0.0.1", port);
  }

  public static Future<DevOidcIssuer> start(Vertx vertx, String host, int port) {
    RsaSigningKey signer = RsaSigningKey.create(vertx);
    RsaSigningKey foreign = RsaSigningKey.create(vertx);
    Router router = Router.router(vertx);
    String[] issuerHolder = new String[1];
    router.get("/.well-known/openid-configuration").handler(ctx -> ctx.json(discovery(issuerHolder[0])));
    router.get("/jwks").handler(ctx -> ctx.json(new JsonObject().put("keys", new JsonArray().add(signer.jwk()))));
    router.post("/token").handler(BodyHandler.create().setBodyLimit(4096)).handler(ctx -> {
      String subject = ctx.request().getFormAttribute("subject");
      if (subject == null || subject.isBlank()) {
        ctx.response().setStatusCode(400).putHeader("Content-Type", "application/json")
            .end(new JsonObject().put("error", "invalid_request").put("error_description", "subject is required").encode());
        return;
      }
      String groups = ctx.request().getFormAttribute("groups");
      String ttl = ctx.request().getFormAttribute("ttl_seconds");
      List<String> groupList = groups == null || groups.isBlank() ? List.of() : List.of(groups.split(","));
      long seconds = ttl == null ? 3600 : Long.parseLong(ttl);
      String token = mintWith(signer, issuerHolder[0], subject, groupList, Duration.ofSeconds(seconds));
      ctx.json(new JsonObject().put("access_token", token).put("token_type", "Bearer").put("expires_in", seconds));
    });
    return vertx.createHttpServer().requestHandler(router).listen(port, host).map(s -> {
      issuerHolder[0] = "http://" + host + ":" + s.actualPort();
      return new DevOidcIssuer(s, issuerHolder[0], signer, foreign);
    });
  }

  private static JsonObject discovery(String issuer) {
    return new JsonObject()
        .put("issuer", issuer)
        .put("jwks_uri", issuer + "/jwks")
        .put("authorization_endpoint", issuer + "/authorize")
        .put("token_endpoint", issuer + "/token")
        .put("response_types_supported", new JsonArray().add("code"))
        .put("subject_types_supported", new JsonArray().add("public"))
        .put("id_token_signing_alg_values_supported", new JsonArray().add("RS256"))
        .put("claims_supported", new JsonArray().add("sub").add("iss").add("aud").add("exp").add("groups"));
  }

  public String issuerUrl() {
    return issuerUrl;
  }

  public String jwksUrl() {
    return issuerUrl + "/jwks";
  }

  public int port() {
    return server.actualPort();
  }

  /** A token for {@code subject} in {@code groups}, audience {@value #DEFAULT_AUDIENCE}, valid for {@code ttl}. */
  public String mint(String subject, List<String> groups, Duration ttl) {
    return mintWith(signer, issuerUrl, subject, groups, ttl);
  }

  /** A token with exactly these claims (no defaults added): for expired, not-yet-valid or wrong-audience tests. */
  public String mint(JsonObject claims) {
    return signer.sign(claims);
  }

  /** A well-formed token for {@code subject} signed by a key the JWKS does not publish. */
  public String mintWithUnknownKey(String subject) {
    return mintWith(foreignSigner, issuerUrl, subject, List.of(), Duration.ofMinutes(5));
  }

  /** The standard claims of a token this issuer would mint, for tests to modify before {@link #mint(JsonObject)}. */
  public JsonObject claims(String subject, List<String> groups, Duration ttl) {
    return claimsFor(issuerUrl, subject, groups, ttl);
  }

  private static String mintWith(RsaSigningKey signer, String issuer, String subject, List<String> groups, Duration ttl) {
    return signer.sign(claimsFor(issuer, subject, groups, ttl));
  }

  private static JsonObject claimsFor(String issuer, String subject, List<String> groups, Duration ttl) {
    long now = Instant.now().getEpochSecond();
    return new JsonObject()
        .put("iss", issuer)
        .put("sub", subject)
        .put("aud", DEFAULT_AUDIENCE)
        .put("iat", now)
        .put("nbf", now - 5)
        .put("exp", now + ttl.toSeconds())
        .put("jti", UUID.randomUUID().toString())
        .put("groups", new JsonArray(List.copyOf(groups)));
  }

  public Future<Void> close() {
    return server.close();
  }
}
