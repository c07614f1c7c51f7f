package dev.vigil.query.impl;

import java.util.List;
import java.util.Set;

import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /api/v1/sessions/{sessionId}/export}: NDJSON, first {@code {"session":…}}, then every event document of
 * the session in chain order with its {@code raw} record, streamed page by page (the next page is read once the
 * previous one is written). At most {@code limits.export-events} events: {@code X-Vigil-Truncated} says whether the
 * session had more, {@code X-Vigil-Event-Count} how many the session has.
 */
final class ExportHandler {

  static final String ENDPOINT = "GET /api/v1/sessions/{sessionId}/export";
  static final String CONTENT_TYPE = "application/x-ndjson";

  private final Backend backend;

  ExportHandler(Backend backend) {
    this.backend = backend;
  }

  void export(RoutingContext ctx) {
    Params p = Params.of(Requests.params(ctx), Set.of());
    String sessionId = ctx.pathParam("sessionId");
    p.note("sessionId", sessionId);
    int cap = backend.limits().exportEvents();
    backend.sessions().load(sessionId, Requests.access(ctx)).compose(session -> backend.events().scope(session)
        .compose(scope -> {
          Future<Long> count = scope == null ? Future.succeededFuture(0L) : backend.events().count(scope);
          return count.compose(n -> {
            HttpServerResponse response = ctx.response()
                .putHeader("Content-Type", CONTENT_TYPE)
                .putHeader("Content-Disposition", "attachment; filename=\"" + fileName(sessionId) + "\"")
                .putHeader("X-Vigil-Event-Count", String.valueOf(n))
                .putHeader("X-Vigil-Truncated", String.valueOf(n > cap))
                .setChunked(true);
            Future<Void> head = response.write(new JsonObject().put("session", session).encode() + "\n");
            if (scope == null) {
              return head.map(0L);
            }
            return head.compose(v -> backend.events().stream(scope, null, null, cap, true,
                page -> write(response, page)));
          });
        }))
        .onSuccess(n -> {
          Audit.query(ctx, ENDPOINT, p.given(), n);
          ctx.response().end();
        })
        .onFailure(ctx::fail);
  }

  private static Future<Void> write(HttpServerResponse response, List<JsonObject> page) {
    if (response.closed()) {
      return Future.failedFuture(ApiException.badRequest("The client closed the connection during the export"));
    }
    StringBuilder sb = new StringBuilder();
    for (JsonObject event : page) {
      sb.append(event.encode()).append('\n');
    }
    return response.write(sb.toString());
  }

  /** A file name made of the session id's safe characters. */
  static String fileName(String sessionId) {
    String safe = sessionId.replaceAll("[^A-Za-z0-9._-]", "_");
    return "vigil-session-" + (safe.length() > 100 ? safe.substring(0, 100) : safe) + ".ndjson";
  }
}
