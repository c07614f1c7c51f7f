package dev.vigil.proxy;

import dev.vigil.embedded.oidc.RsaSigningKey;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A test-only OIDC issuer on loopback whose signing key can rotate: {@link #rotate(boolean)} makes a new key the
 * signing key and either keeps publishing the old one or drops it from the JWKS. Also mints the tokens an attacker
 * would: HS256 "signed" with the issuer's public key as the HMAC secret.
 */
public final class RotatingIssuer {

  private final Vertx vertx;
  private final HttpServer server;
  private final String issuerUrl;
  private final String audience;
  private final List<RsaSigningKey> published;
  private final AtomicInteger jwksFetches;
  private volatile RsaSigningKey current;

  private RotatingIssuer(Vertx vertx, HttpServer server, String issuerUrl, String audience, List<RsaSigningKey> published,
      AtomicInteger jwksFetches, RsaSigningKey current) {
    this.vertx = vertx;
    this.server = server;
    this.issuerUrl = issuerUrl;
    this.audience = audience;
    this.published = published;
    this.jwksFetches = jwksFetches;
    this.current = current;
  }

  public static Future<RotatingIssuer> start(Vertx vertx, String audience) {
    List<RsaSigningKey> published = new CopyOnWriteArrayList<>();
    RsaSigningKey first = RsaSigningKey.create(vertx);
    published.add(first);
    AtomicInteger fetches = new AtomicInteger();
    String[] url = new String[1];
    HttpServer server = vertx.createHttpServer().requestHandler(req -> {
      JsonObject body;
      if (req.path().equals("/issuer/.well-known/openid-configuration")) {
        body = new JsonObject().put("issuer", url[0]).put("jwks_uri", url[0] + "/keys");
      } else if (req.path().equals("/issuer/keys")) {
        fetches.incrementAndGet();
        JsonArray keys = new JsonArray();
        published.forEach(s -> keys.add(s.jwk()));
        body = new JsonObject().put("keys", keys);
      } else {
        req.response().setStatusCode(404).end();
        return;
      }
      req.response().putHeader("Content-Type", "application/json").end(body.encode());
    });
    return server.listen(0, "127.0.0.1").map(s -> {
      url[0] = "http://127.0.0.1:" + s.actualPort() + "/issuer";
      return new RotatingIssuer(vertx, s, url[0], audience, published, fetches, first);
    });
  }

  public String issuerUrl() {
    return issuerUrl;
  }

  /** How often the JWKS was read. */
  public int jwksFetches() {
    return jwksFetches.get();
  }

  /** A new signing key; the previous one stays published only if {@code keepOld}. */
  public void rotate(boolean keepOld) {
    RsaSigningKey next = RsaSigningKey.create(vertx);
    if (!keepOld) {
      published.clear();
    }
    published.add(next);
    current = next;
  }

  public JsonObject claims(String subject, List<String> groups, Duration ttl) {
    long now = Instant.now().getEpochSecond();
    return new JsonObject().put("iss", issuerUrl).put("sub", subject).put("aud", audience).put("iat", now)
        .put("nbf", now - 5).put("exp", now + ttl.toSeconds()).put("groups", new JsonArray(List.copyOf(groups)));
  }

  public String mint(String subject, List<String> groups) {
    return current.sign(claims(subject, groups, Duration.ofMinutes(10)));
  }

  public String mint(JsonObject claims) {
    return current.sign(claims);
  }

  /** The signer now in use, to mint with it after a later rotation. */
  public Object currentKey() {
    return current;
  }

  public String mintWith(Object key, JsonObject claims) {
    return ((RsaSigningKey) key).sign(claims);
  }

  /** The key-confusion attack: HS256 with the current public key (PEM, as published) as the HMAC secret. */
  public String mintHs256WithPublicKey(JsonObject claims) throws GeneralSecurityException {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String header = b64.encodeToString(new JsonObject().put("alg", "HS256").put("typ", "JWT").put("kid", current.kid())
        .encode().getBytes(StandardCharsets.UTF_8));
    String payload = b64.encodeToString(claims.encode().getBytes(StandardCharsets.UTF_8));
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(current.publicPem().getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
    byte[] sig = mac.doFinal((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
    return header + "." + payload + "." + b64.encodeToString(sig);
  }

  public Future<Void> close() {
    return server.close();
  }
}
