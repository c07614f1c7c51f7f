package dev.vigil.query.impl;

import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import org.opensearch.client.opensearch.core.SearchResponse;

/** {@code GET /api/v1/sessions}: filters, full text, sort, {@code search_after} pages. */
final class SessionSearchHandler {

  static final String ENDPOINT = "GET /api/v1/sessions";

  private final Backend backend;
  private final SessionFullText fullText;

  SessionSearchHandler(Backend backend) {
    this.backend = backend;
    this.fullText = new SessionFullText(backend.store(), backend.config().indexPattern(),
        backend.config().sessionsIndex(), backend.limits().fullTextSessionKeys(), backend.limits().fullTextSessions());
  }

  void search(RoutingContext ctx) {
    SessionSearchQuery query = SessionSearchQuery.parse(Requests.params(ctx), backend.limits().pageSizeMax());
    Access access = Requests.access(ctx);
    Future<Set<String>> ids = query.q() == null ? Future.succeededFuture(null) : fullText.matchingSessionIds(query, access);
    ids.compose(only -> only != null && only.isEmpty()
            ? Future.succeededFuture(empty())
            : backend.store().search(SessionSearch.page(backend.config().sessionsIndex(), query, access, only))
                .map(r -> answer(query, r)))
        .onSuccess(body -> {
          Audit.query(ctx, ENDPOINT, query.given(), body.getJsonArray("sessions").size());
          ctx.json(body);
        })
        .onFailure(ctx::fail);
  }

  private static JsonObject empty() {
    return new JsonObject().put("sessions", new JsonArray()).put("total", 0L).putNull("nextSearchAfter");
  }

  /** The page; {@code size + 1} hits were asked for, the extra one only says that a next page exists. */
  static JsonObject answer(SessionSearchQuery query, SearchResponse<ObjectNode> r) {
    List<JsonObject> sessions = Documents.list(r, false);
    String next = null;
    if (sessions.size() > query.size()) {
      sessions = sessions.subList(0, query.size());
      next = PageToken.encode(query.sortKey(), r.hits().hits().get(query.size() - 1).sortVals());
    }
    return new JsonObject()
        .put("sessions", Documents.array(sessions))
        .put("total", Documents.total(r))
        .put("nextSearchAfter", next);
  }
}
