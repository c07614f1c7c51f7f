package dev.vigil.query.impl;

import java.util.List;
import java.util.Set;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;

import org.opensearch.client.opensearch._types.FieldValue;
import org.opensearch.client.opensearch._types.query_dsl.Query;

/** {@code GET /api/v1/sessions/{sessionId}/exec/{requestId}.cast}: an exec/attach call as an asciicast v2 recording. */
final class CastHandler {

  static final String ENDPOINT = "GET /api/v1/sessions/{sessionId}/exec/{requestId}.cast";
  private static final String SUFFIX = ".cast";

  private final Backend backend;

  CastHandler(Backend backend) {
    this.backend = backend;
  }

  void cast(RoutingContext ctx) {
    Params p = Params.of(Requests.params(ctx), Set.of());
    String sessionId = ctx.pathParam("sessionId");
    String file = ctx.pathParam("requestId");
    // the route ends in ".cast"; a path parameter keeps whatever precedes it
    String requestId = file.endsWith(SUFFIX) ? file.substring(0, file.length() - SUFFIX.length()) : file;
    p.note("sessionId", sessionId).note("requestId", requestId);
    Access access = Requests.access(ctx);
    backend.sessions().load(sessionId, access)
        .compose(session -> backend.events().scope(session))
        .compose(scope -> scope == null ? Future.failedFuture(noFrames(requestId))
            : backend.events().read(scope, execFrames(requestId), null, backend.limits().castFrames(), false))
        .onSuccess(page -> {
          if (page.events().isEmpty()) {
            ctx.fail(noFrames(requestId));
            return;
          }
          Audit.query(ctx, ENDPOINT, p.given(), page.events().size());
          String title = Kubectl.render(page.events().get(0));
          ctx.response()
              .putHeader("Content-Type", Asciicast.CONTENT_TYPE)
              .putHeader("X-Vigil-Truncated", String.valueOf(page.truncated()))
              .end(Asciicast.render(page.events(), title));
        })
        .onFailure(ctx::fail);
  }

  private static ApiException noFrames(String requestId) {
    return ApiException.notFound("No exec or attach frames for request " + requestId + " in this session");
  }

  /** The EXEC/ATTACH frames of one call. */
  static Query execFrames(String requestId) {
    return Query.of(q -> q.bool(b -> b
        .filter(SessionEvents.term("requestId", requestId))
        .filter(SessionEvents.term("type", "frame"))
        .filter(f -> f.terms(t -> t.field("frame.stream")
            .terms(v -> v.value(List.of(FieldValue.of("EXEC"), FieldValue.of("ATTACH"))))))));
  }
}
