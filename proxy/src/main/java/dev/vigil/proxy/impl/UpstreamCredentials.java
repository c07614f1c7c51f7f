package dev.vigil.proxy.impl;

import java.time.Duration;
import java.time.Instant;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.vigil.proxy.ProxyConfig;
import dev.vigil.proxy.TokenRequestConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

/**
 * The gateway's live upstream credential (the value of {@code Authorization} it sends, or none with a client
 * certificate), kept current:
 * <ul>
 *   <li>a token file (in-cluster, or a kubeconfig {@code tokenFile}) is re-read every
 *       {@code token-reload-interval} and a changed token is used from then on (projected tokens rotate);</li>
 *   <li>with {@code token-request.service-account} set, the base credential only obtains short-lived tokens for that
 *       service account ({@code POST .../serviceaccounts/<name>/token}, a TokenRequest), and those are what is sent;
 *       each is renewed at 80% of its lifetime (failures retried within 1–30 s while the current one is still
 *       used).</li>
 * </ul>
 * No token ever appears in a log line: only where it came from and until when it is valid.
 */
final class UpstreamCredentials {

  private static final Logger LOG = LoggerFactory.getLogger(UpstreamCredentials.class);

  private final Vertx vertx;
  private final UpstreamTarget target;
  private final TokenRequestConfig tokenRequest;
  private final LongSupplier clock;
  private volatile String baseToken;
  private volatile String requestedToken;
  private volatile Instant requestedExpiry;
  private WebClient web;
  private long reloadTimer = -1;
  private long renewTimer = -1;
  private boolean reloadFailing;
  private volatile boolean closed;

  private UpstreamCredentials(Vertx vertx, UpstreamTarget target, TokenRequestConfig tokenRequest, LongSupplier clock) {
    this.vertx = vertx;
    this.target = target;
    this.tokenRequest = tokenRequest;
    this.clock = clock;
    this.baseToken = target.bearerToken();
  }

  /** Starts reloading the token file (if any) and obtains the first requested token (if configured). */
  static Future<UpstreamCredentials> start(Vertx vertx, UpstreamTarget target, ProxyConfig config) {
    UpstreamCredentials c = new UpstreamCredentials(vertx, target, config.tokenRequest(), System::currentTimeMillis);
    if (target.tokenFile() != null) {
      long period = config.tokenReloadInterval().toMillis();
      c.reloadTimer = vertx.setPeriodic(period, period, id -> c.reload());
    }
    if (c.tokenRequest == null) {
      return Future.succeededFuture(c);
    }
    c.web = WebClient.create(vertx, new WebClientOptions(target.clientOptions())
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, config.upstreamConnectTimeout().toMillis()))
        .setFollowRedirects(false));
    return c.request()
        .map(v -> c)
        .recover(err -> {
          c.close();
          return Future.failedFuture(new IllegalStateException("Cannot obtain an upstream token for service account "
              + c.serviceAccount() + " (" + ProxyConfig.UPSTREAM_TOKEN_REQUEST_SERVICE_ACCOUNT + "): " + err.getMessage()));
        });
  }

  /** The complete Authorization value to send upstream now, or null (client certificate only). */
  String authorization() {
    String token = requestedToken != null ? requestedToken : tokenRequest == null ? baseToken : null;
    return token == null ? null : "Bearer " + token;
  }

  /** When the requested token expires (null without TokenRequest). */
  Instant requestedExpiry() {
    return requestedExpiry;
  }

  private String serviceAccount() {
    return tokenRequest.namespace() + "/" + tokenRequest.serviceAccount();
  }

  private void reload() {
    vertx.executeBlocking(() -> UpstreamTarget.readToken(target.tokenFile()), false).onComplete(ar -> {
      if (ar.failed()) {
        if (!reloadFailing) {
          LOG.warn("Cannot re-read the upstream token file {} (keeping the token read before): {}", target.tokenFile(),
              ar.cause().getMessage());
        }
        reloadFailing = true;
        return;
      }
      reloadFailing = false;
      if (!ar.result().equals(baseToken)) {
        baseToken = ar.result();
        LOG.info("The upstream token file {} changed: using the new token from now on", target.tokenFile());
      }
    });
  }

  private Future<Void> request() {
    JsonObject spec = new JsonObject().put("expirationSeconds", tokenRequest.expiration().toSeconds());
    if (!tokenRequest.audiences().isEmpty()) {
      spec.put("audiences", new JsonArray(tokenRequest.audiences()));
    }
    JsonObject body = new JsonObject().put("apiVersion", "authentication.k8s.io/v1").put("kind", "TokenRequest")
        .put("spec", spec);
    String path = target.basePath() + "/api/v1/namespaces/" + tokenRequest.namespace() + "/serviceaccounts/"
        + tokenRequest.serviceAccount() + "/token";
    var req = web.post(target.port(), target.host(), path).ssl(target.ssl()).timeout(30_000)
        .putHeader("Accept", "application/json").putHeader("User-Agent", "vigil-proxy");
    String base = baseToken;
    if (base != null) {
      req.putHeader("Authorization", "Bearer " + base);
    }
    return req.sendJsonObject(body).compose(this::accept);
  }

  private Future<Void> accept(HttpResponse<Buffer> r) {
    if (r.statusCode() != 200 && r.statusCode() != 201) {
      String message = null;
      try {
        message = r.bodyAsJsonObject().getString("message"); // a Status: safe to show, unlike a TokenRequest body
      } catch (RuntimeException e) {
        // not a Status
      }
      return Future.failedFuture("the API server answered " + r.statusCode() + (message == null ? "" : ": " + message));
    }
    JsonObject status;
    Instant expiry;
    try {
      status = r.bodyAsJsonObject().getJsonObject("status");
      expiry = Instant.parse(status.getString("expirationTimestamp"));
    } catch (RuntimeException e) {
      return Future.failedFuture("the TokenRequest answer has no status.token and status.expirationTimestamp");
    }
    String token = status.getString("token");
    if (token == null || token.isBlank()) {
      return Future.failedFuture("the TokenRequest answer has no status.token");
    }
    long now = clock.getAsLong();
    long lifetime = expiry.toEpochMilli() - now;
    if (lifetime <= 0) {
      return Future.failedFuture("the TokenRequest answer holds an expired token (" + expiry + ")");
    }
    requestedToken = token.strip();
    requestedExpiry = expiry;
    long renewIn = Math.max(1_000, lifetime * 8 / 10);
    LOG.info("Obtained an upstream token for service account {} valid until {}; renewing in {}", serviceAccount(), expiry,
        Duration.ofMillis(renewIn));
    schedule(renewIn);
    return Future.succeededFuture();
  }

  private void schedule(long delayMillis) {
    if (closed) {
      return;
    }
    renewTimer = vertx.setTimer(delayMillis, id -> request().onFailure(err -> {
      long remaining = requestedExpiry.toEpochMilli() - clock.getAsLong();
      long retry = Math.min(30_000, Math.max(1_000, remaining / 5));
      LOG.warn("Could not renew the upstream token for service account {} ({}; current one {}); retrying in {} ms",
          serviceAccount(), err.getMessage(), remaining > 0 ? "valid for " + Duration.ofMillis(remaining) : "expired",
          retry);
      schedule(retry);
    }));
  }

  void close() {
    closed = true;
    if (reloadTimer >= 0) {
      vertx.cancelTimer(reloadTimer);
    }
    if (renewTimer >= 0) {
      vertx.cancelTimer(renewTimer);
    }
    if (web != null) {
      web.close();
    }
  }
}
