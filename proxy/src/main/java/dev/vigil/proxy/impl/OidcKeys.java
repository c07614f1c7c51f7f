package dev.vigil.proxy.impl;

import dev.vigil.common.LoopbackHosts;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.vigil.proxy.OidcIssuerConfig;
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
 * One issuer's signing keys: OIDC discovery ({@code /.well-known/openid-configuration}) gives the issuer identifier
 * and {@code jwks_uri}; the JWKS gives the public keys (asymmetric only: symmetric {@code oct} keys are ignored, so
 * an HS* token can never verify). The JWKS must be served over https unless its host is loopback or plain http was
 * allowed explicitly.
 *
 * <p>Every fetch <em>replaces</em> the key set, so a key the issuer stopped publishing stops verifying. Fetches happen
 * at start, every {@code refreshMillis} (periodic), and on a token with an unknown key id ({@link #refresh()}) at most
 * once per {@code minRefreshMillis}, concurrent callers sharing one fetch. A failed fetch keeps the previous keys.
 */
final class OidcKeys {

  private static final Logger LOG = LoggerFactory.getLogger(OidcKeys.class);
  private static final Set<String> ASYMMETRIC_KEY_TYPES = Set.of("RSA", "EC", "OKP");

  private final Vertx vertx;
  private final WebClient web;
  private final String issuer;
  private final String jwksUri;
  private final long minRefreshMillis;
  private final LongSupplier clock;
  private volatile JWTAuth current;
  private volatile List<String> keyIds = List.of();
  private long lastFetchMillis = Long.MIN_VALUE / 2;
  private Future<JWTAuth> inFlight;
  private long timer = -1;

  private OidcKeys(Vertx vertx, WebClient web, String issuer, String jwksUri, long minRefreshMillis, LongSupplier clock) {
    this.vertx = vertx;
    this.web = web;
    this.issuer = issuer;
    this.jwksUri = jwksUri;
    this.minRefreshMillis = minRefreshMillis;
    this.clock = clock;
  }

  /**
   * Discovers the issuer and loads its keys, then re-reads them every {@code refreshMillis}; fails if either is
   * unavailable, the issuer id does not match, or the JWKS is not served over https when it must be.
   */
  static Future<OidcKeys> discover(Vertx vertx, OidcIssuerConfig config, boolean allowInsecureHttp,
      long minRefreshMillis, long refreshMillis) {
    URI configured = config.url();
    WebClientOptions options = new WebClientOptions()
        .setConnectTimeout(10_000)
        .setUserAgent("vigil-proxy")
        .setFollowRedirects(false);
    if (config.caFile() != null) {
      options.setTrustOptions(new PemTrustOptions().addCertPath(config.caFile().toString()));
    }
    WebClient web = WebClient.create(vertx, options);
    String base = stripSlash(configured.toString());
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
          String problem = jwksProblem(jwks, allowInsecureHttp);
          if (problem != null) {
            return Future.failedFuture("OIDC discovery at " + base + ": jwks_uri " + problem);
          }
          OidcKeys keys = new OidcKeys(vertx, web, discovered, jwks, minRefreshMillis, System::currentTimeMillis);
          return keys.fetch().map(auth -> {
            keys.timer = vertx.setPeriodic(refreshMillis, refreshMillis, id -> keys.periodicRefresh());
            return keys;
          });
        })
        .onFailure(err -> web.close());
  }

  /** Why {@code jwksUri} may not be used, or null. */
  static String jwksProblem(String jwksUri, boolean allowInsecureHttp) {
    URI uri;
    try {
      uri = new URI(jwksUri);
    } catch (java.net.URISyntaxException e) {
      return "is not a URL";
    }
    if ("https".equals(uri.getScheme()) && uri.getHost() != null) {
      return null;
    }
    if ("http".equals(uri.getScheme()) && uri.getHost() != null
        && (allowInsecureHttp || LoopbackHosts.isLoopback(uri.getHost()))) {
      return null;
    }
    return "must be an https URL (plain http only on loopback or with vigil.proxy.oidc.allow-insecure-http=true)";
  }

  /** The issuer identifier exactly as discovered (what {@code iss} must equal). */
  String issuer() {
    return issuer;
  }

  JWTAuth current() {
    return current;
  }

  /** The key ids currently trusted (for logs and tests). */
  List<String> keyIds() {
    return keyIds;
  }

  /** Re-reads the JWKS (unknown key id) unless it was read less than {@code minRefreshMillis} ago. */
  synchronized Future<JWTAuth> refresh() {
    if (inFlight != null) {
      return inFlight;
    }
    if (clock.getAsLong() - lastFetchMillis < minRefreshMillis) {
      return Future.succeededFuture(current);
    }
    return startFetch();
  }

  private synchronized void periodicRefresh() {
    if (inFlight == null) {
      startFetch();
    }
  }

  private synchronized Future<JWTAuth> startFetch() {
    Future<JWTAuth> f = fetch().recover(err -> {
      LOG.warn("Could not refresh the signing keys of {} (keeping the {} key(s) loaded before): {}", issuer,
          keyIds.size(), err.getMessage());
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
      lastFetchMillis = clock.getAsLong();
    }
    return getJson(web, jwksUri).compose(doc -> {
      List<JsonObject> usable = new ArrayList<>();
      List<String> ids = new ArrayList<>();
      for (Object k : doc.getJsonArray("keys", new JsonArray())) {
        if (k instanceof JsonObject key) {
          String use = key.getString("use");
          if (ASYMMETRIC_KEY_TYPES.contains(key.getString("kty")) && (use == null || "sig".equals(use))) {
            usable.add(key);
            ids.add(String.valueOf(key.getValue("kid")));
          }
        }
      }
      if (usable.isEmpty()) {
        return Future.failedFuture("the issuer's JWKS at " + jwksUri + " has no asymmetric signing key");
      }
      JWTAuth auth;
      try {
        auth = JWTAuth.create(vertx, new JWTAuthOptions()
            .setJwks(usable)
            .setJWTOptions(new JWTOptions().setIgnoreExpiration(true)));
      } catch (RuntimeException e) {
        return Future.failedFuture("the issuer's JWKS at " + jwksUri + " is unusable: " + e.getMessage());
      }
      current = auth; // replaces the whole set: keys no longer published stop verifying
      if (!ids.equals(keyIds)) {
        LOG.info("Loaded {} signing key(s) of {}: {}", usable.size(), issuer, ids);
      }
      keyIds = List.copyOf(ids);
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
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    web.close();
  }
}
