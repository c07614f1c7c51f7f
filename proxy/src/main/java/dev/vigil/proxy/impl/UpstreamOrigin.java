package dev.vigil.proxy.impl;

import java.time.Duration;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.httpproxy.OriginRequestProvider;
import io.vertx.httpproxy.ProxyContext;

/**
 * The HTTP client towards the upstream API server (TLS trust and client certificate from the kubeconfig, connect
 * timeout, a pool large enough for many concurrent watches) and the origin provider that opens each proxied request,
 * with the per-request idle timeout except for long-running calls (watches, followed logs, upgrades).
 */
final class UpstreamOrigin implements OriginRequestProvider {

  private final UpstreamTarget target;
  private final HttpClient client;
  private final long idleTimeoutMillis;
  private final long connectTimeoutMillis;

  UpstreamOrigin(Vertx vertx, UpstreamTarget target, Duration connectTimeout, Duration idleTimeout, int maxConnections) {
    this.target = target;
    HttpClientOptions options = target.clientOptions()
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()));
    this.client = vertx.httpClientBuilder()
        .with(options)
        .with(new PoolOptions().setHttp1MaxSize(maxConnections).setMaxWaitQueueSize(10_000))
        .build();
    this.idleTimeoutMillis = idleTimeout.toMillis();
    this.connectTimeoutMillis = connectTimeout.toMillis();
  }

  /** The caller disconnected while its call waited for an upstream connection: the call is not sent. */
  static final class CallerGoneException extends Exception {
    private static final long serialVersionUID = 1L;

    CallerGoneException() {
      super("the caller went away while the call waited for an upstream connection", null, false, false);
    }
  }

  HttpClient client() {
    return client;
  }

  UpstreamTarget target() {
    return target;
  }

  @Override
  public Future<HttpClientRequest> create(ProxyContext context) {
    RequestOptions options = new RequestOptions()
        .setHost(target.host())
        .setPort(target.port())
        .setSsl(target.ssl());
    Exchange ex = context.get(GatewayInterceptor.EXCHANGE, Exchange.class);
    boolean longRunning = context.isWebSocket() || (ex != null && ex.longRunning);
    if (idleTimeoutMillis > 0 && !longRunning) {
      options.setIdleTimeout(idleTimeoutMillis);
    }
    // Bounds the wait for a pooled connection (plus connecting): without it, a call queued behind busy connections
    // (e.g. max-connections watches) waits forever; on expiry it fails with a timeout (504 + UpstreamError TIMEOUT).
    if (connectTimeoutMillis > 0) {
      options.setConnectTimeout(connectTimeoutMillis);
    }
    // Failures reach the proxy through the response future; without a handler Vert.x would also log each reset.
    return client.request(options).compose(req -> {
      req.exceptionHandler(err -> { });
      if (ex != null && (ex.clientClosed || ex.request.response().closed())) {
        req.reset(); // the caller left while this call was queued: never send it
        return Future.failedFuture(new CallerGoneException());
      }
      return Future.succeededFuture(req);
    });
  }

  Future<Void> close() {
    return client.close();
  }
}
