package dev.vigil.proxy.impl;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

/** {@code GET /vigil/healthz}: no authentication, 200 with a small JSON document (never anything secret). */
final class HealthHandler implements Handler<HttpServerRequest> {

  static final String PATH = "/vigil/healthz";

  private final String gatewayId;
  private final CountingSink sink;
  private final SessionKeys sessions;

  HealthHandler(String gatewayId, CountingSink sink, SessionKeys sessions) {
    this.gatewayId = gatewayId;
    this.sink = sink;
    this.sessions = sessions;
  }

  @Override
  public void handle(HttpServerRequest req) {
    if (!"GET".equals(req.method().name()) && !"HEAD".equals(req.method().name())) {
      req.response().setStatusCode(405).putHeader("Allow", "GET, HEAD").end();
      return;
    }
    JsonObject body = new JsonObject()
        .put("status", "ok")
        .put("gatewayId", gatewayId)
        .put("sessionsTracked", sessions.tracked())
        .put("events", new JsonObject().put("recorded", sink.recorded()).put("failed", sink.failed()));
    req.response().putHeader("Content-Type", "application/json").end(body.encode());
  }
}
