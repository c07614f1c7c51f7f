package dev.vigil.query.impl;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
  static final String PARTIAL = "X-Vigil-Partial";

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
    access.checkIdentityFilter(query.identity());
    Future<SessionFullText.Matches> matches = query.q() == null ? Future.succeededFuture(null)
        : fullText.matchingSessionIds(query, access);
    matches.compose(m -> {
      Set<String> only = m == null ? null : m.ids();
      if (m != null && m.partial()) {
        // a limit cut the full-text matches: matching sessions (those with older matches) may be missing
        ctx.response().putHeader(PARTIAL, "true");
      }
      return only != null && only.isEmpty()
          ? Future.succeededFuture(empty())
          : backend.store().search(SessionSearch.page(backend.config().sessionsIndex(), query, access, only))
              .map(r -> answer(query, r));
    }).onSuccess(body -> {
      Map<String, Object> params = new LinkedHashMap<>(query.given());
      if (ctx.response().headers().contains(PARTIAL)) {
        params.put("partial", true);
      }
      Audit.query(ctx, ENDPOINT, params, body.getJsonArray("sessions").size());
      ctx.json(body);
    }).onFailure(ctx::fail);
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
