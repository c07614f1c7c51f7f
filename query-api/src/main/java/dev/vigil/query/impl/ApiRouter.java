package dev.vigil.query.impl;

import io.vertx.ext.web.Router;

/**
 * The API routes (behind the authentication handler) and their handlers. Every route here is documented in
 * {@code openapi.json} ({@code OpenApiDocumentTest} checks both ways).
 */
final class ApiRouter {

  private ApiRouter() {}

  static void mount(Router router, Backend backend) {
    EventsHandler events = new EventsHandler(backend);
    SessionSearchHandler search = new SessionSearchHandler(backend);
    SessionHandler session = new SessionHandler(backend);
    CastHandler cast = new CastHandler(backend);
    ExportHandler export = new ExportHandler(backend);
    VerifyHandler verify = new VerifyHandler(backend);
    AlertsHandler alerts = new AlertsHandler(backend);
    TailHandler tail = new TailHandler(backend);

    route(router.get("/api/v1/events"), "/api/v1/events", events::search);
    route(router.get("/api/v1/sessions"), "/api/v1/sessions", search::search);
    route(router.get("/api/v1/sessions/:sessionId"), "/api/v1/sessions/:sessionId", session::detail);
    route(router.get("/api/v1/sessions/:sessionId/transcript"), "/api/v1/sessions/:sessionId/transcript", session::transcript);
    route(router.get("/api/v1/sessions/:sessionId/exec/:requestId.cast"), "/api/v1/sessions/:sessionId/exec/:requestId.cast", cast::cast);
    route(router.get("/api/v1/sessions/:sessionId/export"), "/api/v1/sessions/:sessionId/export", export::export);
    route(router.post("/api/v1/sessions/:sessionId/verify"), "/api/v1/sessions/:sessionId/verify", verify::verify);
    route(router.get("/api/v1/sessions/:sessionId/tail"), "/api/v1/sessions/:sessionId/tail", tail::tail);
    route(router.get("/api/v1/sessions/:sessionKey/events"), "/api/v1/sessions/:sessionKey/events", events::sessionKey);
    route(router.get("/api/v1/alerts"), "/api/v1/alerts", alerts::search);
  }

  /** The route's handler, after naming the endpoint for {@link QueryMetrics}. */
  private static void route(io.vertx.ext.web.Route route, String path, io.vertx.core.Handler<io.vertx.ext.web.RoutingContext> h) {
    route.handler(QueryMetrics.endpoint(path)).handler(h);
  }
}
