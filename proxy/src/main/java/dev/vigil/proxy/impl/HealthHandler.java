package dev.vigil.proxy.impl;

import dev.vigil.common.LoopbackHosts;
import dev.vigil.ops.Readiness;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

/**
 * The gateway's own endpoints, answered directly (never forwarded, never recorded):
 * <ul>
 *   <li>{@code GET /vigil/healthz}: liveness only, no authentication, {@code {"status":"ok"}};</li>
 *   <li>{@code GET /vigil/readyz}: readiness, no authentication: 200 when the recording sink's Kafka cluster answers
 *       (cached a few seconds), else 503, with {@code {"status":"ready"|"not-ready","checks":{...}}};</li>
 *   <li>{@code GET /vigil/status}: gateway id and counters (events recorded/failed, sessions tracked, calls not
 *       recorded by policy, strict refusals, recording gaps, policy loads, failed reloads with the last reload error
 *       and label lookups), for callers on loopback or presenting a token the gateway accepts; others get a 401
 *       Status.</li>
 * </ul>
 */
final class HealthHandler {

  static final String PATH = "/vigil/healthz";
  static final String STATUS_PATH = "/vigil/status";
  static final String READY_PATH = "/vigil/readyz";

  private final String gatewayId;
  private final CountingSink sink;
  private final SessionKeys sessions;
  private final TokenAuthenticator authenticator;
  private final StrictRecording strict;
  private final CallRecorder recorder;
  private final Governance governance;
  private final Vertx vertx;
  private final Readiness readiness;

  HealthHandler(String gatewayId, CountingSink sink, SessionKeys sessions, TokenAuthenticator authenticator,
      StrictRecording strict, CallRecorder recorder, Governance governance, Vertx vertx, Readiness readiness) {
    this.vertx = vertx;
    this.readiness = readiness;
    this.strict = strict;
    this.recorder = recorder;
    this.governance = governance;
    this.gatewayId = gatewayId;
    this.sink = sink;
    this.sessions = sessions;
    this.authenticator = authenticator;
  }

  /** Whether {@code path} is one of the gateway's own endpoints. */
  boolean handles(String path) {
    return PATH.equals(path) || STATUS_PATH.equals(path) || READY_PATH.equals(path);
  }

  void handle(HttpServerRequest req) {
    if (!"GET".equals(req.method().name()) && !"HEAD".equals(req.method().name())) {
      req.response().setStatusCode(405).putHeader("Allow", "GET, HEAD").end();
      return;
    }
    if (PATH.equals(req.path())) {
      json(req, new JsonObject().put("status", "ok"));
      return;
    }
    if (READY_PATH.equals(req.path())) {
      readiness.evaluate(vertx).onComplete(ar -> {
        JsonObject answer = ar.succeeded() ? ar.result()
            : new JsonObject().put("status", "not-ready").put("error", String.valueOf(ar.cause()));
        req.response().setStatusCode(Readiness.isReady(answer) ? 200 : 503);
        json(req, answer);
      });
      return;
    }
    String peer = req.remoteAddress() == null ? null : req.remoteAddress().hostAddress();
    if (LoopbackHosts.isLoopback(peer)) {
      json(req, status());
      return;
    }
    authenticator.authenticate(req.headers()).onComplete(ar -> {
      if (ar.succeeded()) {
        json(req, status());
      } else {
        StatusErrors.StatusError err = StatusErrors.unauthorized(ar.cause() instanceof AuthenticationException
            ? ar.cause().getMessage() : "authentication failed");
        req.response().setStatusCode(err.code()).putHeader("Content-Type", StatusErrors.CONTENT_TYPE).end(err.toBuffer());
      }
    });
  }

  private JsonObject status() {
    GapTracker gaps = sink.gaps();
    return new JsonObject()
        .put("status", "ok")
        .put("gatewayId", gatewayId)
        .put("sessionsTracked", sessions.tracked())
        .put("events", new JsonObject().put("recorded", sink.recorded()).put("failed", sink.failed()))
        .put("callsNotRecorded", recorder.notRecorded())
        .put("strict", new JsonObject().put("refused", strict.refused()).put("streamsEnded", strict.streamsEnded()))
        .put("gaps", new JsonObject()
            .put("eventsLost", gaps == null ? 0 : gaps.eventsLost())
            .put("eventsUnreported", gaps == null ? 0 : gaps.eventsUnreported())
            .put("recorded", gaps == null ? 0 : gaps.gapsRecorded()))
        .put("policy", governance.status());
  }

  private static void json(HttpServerRequest req, JsonObject body) {
    req.response().putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-store").end(body.encode());
  }
}
