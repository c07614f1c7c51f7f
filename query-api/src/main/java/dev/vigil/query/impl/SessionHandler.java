package dev.vigil.query.impl;

import java.util.List;
import java.util.Set;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** {@code GET /api/v1/sessions/{sessionId}} (summary, alerts, events) and {@code .../transcript} (readable steps). */
final class SessionHandler {

  static final String DETAIL = "GET /api/v1/sessions/{sessionId}";
  static final String TRANSCRIPT = "GET /api/v1/sessions/{sessionId}/transcript";

  /** A session with its alerts and (a bounded number of) events. */
  record Loaded(JsonObject session, List<JsonObject> alerts, SessionEvents.Page events) {}

  private final Backend backend;

  SessionHandler(Backend backend) {
    this.backend = backend;
  }

  void detail(RoutingContext ctx) {
    Params p = Params.of(Requests.params(ctx), Set.of());
    String sessionId = ctx.pathParam("sessionId");
    p.note("sessionId", sessionId);
    load(sessionId, Requests.access(ctx)).onSuccess(l -> {
      Audit.query(ctx, DETAIL, p.given(), l.events().events().size());
      ctx.json(new JsonObject()
          .put("session", l.session())
          .put("alerts", Documents.array(l.alerts()))
          .put("events", Documents.array(l.events().events()))
          .put("eventsTruncated", l.events().truncated()));
    }).onFailure(ctx::fail);
  }

  void transcript(RoutingContext ctx) {
    Params p = Params.of(Requests.params(ctx), Set.of());
    String sessionId = ctx.pathParam("sessionId");
    p.note("sessionId", sessionId);
    load(sessionId, Requests.access(ctx)).onSuccess(l -> {
      Audit.query(ctx, TRANSCRIPT, p.given(), l.events().events().size());
      ctx.json(new JsonObject()
          .put("session", l.session())
          .put("steps", Transcript.steps(sessionId, l.events().events(), l.alerts()))
          .put("eventsTruncated", l.events().truncated()));
    }).onFailure(ctx::fail);
  }

  /** The session (access checked), its alerts and its first {@code limits.session-events} events. */
  Future<Loaded> load(String sessionId, Access access) {
    return backend.sessions().load(sessionId, access).compose(session -> {
      Future<SessionEvents.Page> events = backend.events().scope(session).compose(scope -> scope == null
          ? Future.succeededFuture(new SessionEvents.Page(List.of(), false))
          : backend.events().read(scope, null, null, backend.limits().sessionEvents(), false));
      Future<List<JsonObject>> alerts = backend.sessions().alerts(sessionId, backend.limits().sessionAlerts(), access);
      return Future.all(events, alerts).map(x -> new Loaded(session, alerts.result(), events.result()));
    });
  }
}
