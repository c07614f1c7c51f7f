package dev.vigil.ops;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

/**
 * A small plain-HTTP server for the platform: {@code GET /healthz} (liveness: the process answers),
 * {@code GET /readyz} (200 when every {@link Readiness} check passes, else 503) and {@code GET /metrics} (Prometheus
 * text format). Port 0 picks a free port; a negative port means no server.
 */
public final class ManagementServer {

  /** The management port when none is configured. */
  public static final int DEFAULT_PORT = 9404;
  private static final Logger LOG = LoggerFactory.getLogger(ManagementServer.class);
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final Vertx vertx;
  private final Readiness readiness;
  private final PrometheusMeterRegistry registry;
  private HttpServer server;

  private ManagementServer(Vertx vertx, Readiness readiness, PrometheusMeterRegistry registry) {
    this.vertx = vertx;
    this.readiness = readiness;
    this.registry = registry;
  }

  /** Listens on {@code host:port}; the server owns {@code readiness} and closes it. */
  public static Future<ManagementServer> start(Vertx vertx, String host, int port, Readiness readiness,
      PrometheusMeterRegistry registry) {
    ManagementServer m = new ManagementServer(vertx, readiness, registry);
    return vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port))
        .requestHandler(m::handle)
        .listen()
        .map(s -> {
          m.server = s;
          LOG.info("Management endpoints (/healthz, /readyz, /metrics) on http://{}:{}", host, s.actualPort());
          return m;
        })
        .onFailure(e -> readiness.close());
  }

  public int port() {
    return server == null ? -1 : server.actualPort();
  }

  private void handle(HttpServerRequest req) {
    if (req.method() != HttpMethod.GET && req.method() != HttpMethod.HEAD) {
      req.response().setStatusCode(405).putHeader("Allow", "GET, HEAD").end();
      return;
    }
    switch (req.path()) {
      case "/healthz" -> json(req, 200, new JsonObject().put("status", "ok"));
      case "/readyz" -> readiness.evaluate(vertx).onComplete(ar -> {
        if (ar.failed()) {
          json(req, 503, new JsonObject().put("status", "not-ready").put("error", String.valueOf(ar.cause())));
        } else {
          json(req, Readiness.isReady(ar.result()) ? 200 : 503, ar.result());
        }
      });
      case "/metrics" -> vertx.executeBlocking(registry::scrape, false).onComplete(ar -> {
        if (ar.failed()) {
          LOG.warn("Rendering metrics failed", ar.cause());
          req.response().setStatusCode(500).end();
        } else {
          req.response().putHeader("Content-Type", PROMETHEUS_TEXT).end(ar.result());
        }
      });
      default -> req.response().setStatusCode(404).end();
    }
  }

  private static void json(HttpServerRequest req, int status, JsonObject body) {
    req.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
  }

  public Future<Void> close() {
    Future<Void> stop = server == null ? Future.succeededFuture() : server.close();
    return stop.andThen(ignored -> readiness.close());
  }
}
