package dev.vigil.proxy.impl;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

/**
 * The issuer's signing keys: OIDC discovery ({@code /.well-known/openid-configuration}) gives the issuer identifier
 * and {@code jwks_uri}; the JWKS gives the public keys (asymmetric only: symmetric {@code oct} keys are ignored, so
 * an HS* token can never verify). {@link #refresh()} re-reads the JWKS — on an unknown key id, at most once per
 * {@code minRefreshMillis}, concurrent callers sharing one fetch — and keeps the previous keys if it fails.
 */
final class OidcKeys {

  private static final Logger LOG = LoggerFactory.getLogger(OidcKeys.class);
  private static final Set<String> ASYMMETRIC_KEY_TYPES = Set.of("RSA", "EC", "OKP");

  private final Vertx vertx;
  private final WebClient web;
  private final String issuer;
  private final String jwksUri;
  private final long minRefreshMillis;
  private volatile JWTAuth current;
  private long lastFetchMillis;
  private Future<JWTAuth> inFlight;

  private OidcKeys(Vertx vertx, WebClient web, String issuer, String jwksUri, long minRefreshMillis) {
    this.vertx = vertx;
    this.web = web;
    this.issuer = issuer;
    this.jwksUri = jwksUri;
    this.minRefreshMillis = minRefreshMillis;
  }

  /** Discovers the issuer and loads its keys; fails if either is unavailable or the issuer id does not match. */
  static Future<OidcKeys> discover(Vertx vertx, URI configuredIssuer, Path caFile, long minRefreshMillis) {
    WebClientOptions options = new WebClientOptions()
        .setConnectTimeout(10_000)
        .setUserAgent("vigil-proxy")
        .setFollowRedirects(false);
    if ("https".equals(configuredIssuer.getScheme()) && caFile != null) {
      options.setTrustOptions(new PemTrustOptions().addCertPath(caFile.toString()));
    }
    WebClient web = WebClient.create(vertx, options);
    String base = stripSlash(configuredIssuer.toString());
    return getJson(web, base + "/.well-known/openid-configuration")
        .compose(doc -> {
          String discovered = doc.getString("issuer");
          String jwks = doc.getString("jwks_uri");
          if (discovered == null || !stripSlash(discovered).equals(base)) {
            return Future.failedFuture("OIDC discovery at " + base + " announces a different issuer: " + discovered);
          }
          if (jwks == null) {
            return Future.failedFuture("OIDC discovery at " + base + " has no jwks_uri");
          }
          OidcKeys keys = new OidcKeys(vertx, web, discovered, jwks, minRefreshMillis);
          return keys.fetch().map(auth -> keys);
        })
        .onFailure(err -> web.close());
  }

  /** The issuer identifier exactly as discovered (what {@code iss} must equal). */
  String issuer() {
    return issuer;
  }

  JWTAuth current() {
    return current;
  }

  /** Re-reads the JWKS unless it was read less than {@code minRefreshMillis} ago; never throws away good keys. */
  synchronized Future<JWTAuth> refresh() {
    if (inFlight != null) {
      return inFlight;
    }
    if (System.currentTimeMillis() - lastFetchMillis < minRefreshMillis) {
      return Future.succeededFuture(current);
    }
    Future<JWTAuth> f = fetch().recover(err -> {
      LOG.warn("Could not refresh the signing keys of {}: {}", issuer, err.getMessage());
      return Future.succeededFuture(current);
    });
    inFlight = f;
    f.onComplete(ar -> {
      synchronized (OidcKeys.this) {
        inFlight = null;
      }
    });
    return f;
  }

  private Future<JWTAuth> fetch() {
    synchronized (this) {
      lastFetchMillis = System.currentTimeMillis();
    }
    return getJson(web, jwksUri).compose(doc -> {
      JsonArray keys = doc.getJsonArray("keys", new JsonArray());
      List<JsonObject> usable = new ArrayList<>();
      for (Object k : keys) {
        if (k instanceof JsonObject) {
          JsonObject key = (JsonObject) k;
          String use = key.getString("use");
          if (ASYMMETRIC_KEY_TYPES.contains(key.getString("kty")) && (use == null || "sig".equals(use))) {
            usable.add(key);
          }
        }
      }
      if (usable.isEmpty()) {
        return Future.failedFuture("the issuer's JWKS at " + jwksUri + " has no asymmetric signing key");
      }
      JWTAuth auth = JWTAuth.create(vertx, new JWTAuthOptions()
          .setJwks(usable)
          .setJWTOptions(new JWTOptions().setIgnoreExpiration(true)));
      current = auth;
      LOG.info("Loaded {} signing key(s) of {}", usable.size(), issuer);
      return Future.succeededFuture(auth);
    });
  }

  private static Future<JsonObject> getJson(WebClient web, String url) {
    return web.getAbs(url).timeout(10_000).send().compose((HttpResponse<io.vertx.core.buffer.Buffer> r) -> {
      if (r.statusCode() != 200) {
        return Future.failedFuture("GET " + url + " answered " + r.statusCode());
      }
      try {
        return Future.succeededFuture(r.bodyAsJsonObject());
      } catch (RuntimeException e) {
        return Future.failedFuture("GET " + url + " did not return a JSON object");
      }
    });
  }

  private static String stripSlash(String s) {
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  void close() {
    web.close();
  }
}
