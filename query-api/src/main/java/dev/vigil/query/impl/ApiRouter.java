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

    router.get("/api/v1/events").handler(events::search);
    router.get("/api/v1/sessions").handler(search::search);
    router.get("/api/v1/sessions/:sessionId").handler(session::detail);
    router.get("/api/v1/sessions/:sessionId/transcript").handler(session::transcript);
    router.get("/api/v1/sessions/:sessionId/exec/:requestId.cast").handler(cast::cast);
    router.get("/api/v1/sessions/:sessionId/export").handler(export::export);
    router.post("/api/v1/sessions/:sessionId/verify").handler(verify::verify);
    router.get("/api/v1/sessions/:sessionId/tail").handler(tail::tail);
    router.get("/api/v1/sessions/:sessionKey/events").handler(events::sessionKey);
    router.get("/api/v1/alerts").handler(alerts::search);
  }
}
