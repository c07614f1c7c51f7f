package dev.vigil.query.impl;

import java.util.LinkedHashMap;
import java.util.Map;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** {@code GET /api/v1/events} (search) and {@code GET /api/v1/sessions/{sessionKey}/events} (one session key in order). */
final class EventsHandler {

  static final String SEARCH = "GET /api/v1/events";
  static final String SESSION_KEY = "GET /api/v1/sessions/{sessionKey}/events";

  private final Backend backend;

  EventsHandler(Backend backend) {
    this.backend = backend;
  }

  void search(RoutingContext ctx) {
    EventQuery query = EventQuery.parse(Requests.params(ctx));
    Access access = Requests.access(ctx);
    access.checkIdentityFilter(query.identity());
    backend.store().search(EventSearch.searchRequest(backend.config().indexPattern(), query, access.owner()))
        .onSuccess(r -> {
          long total = Documents.total(r);
          Audit.query(ctx, SEARCH, query.describe(), r.hits().hits().size());
          ctx.json(new JsonObject().put("total", total).put("events", EventSearch.events(r)));
        })
        .onFailure(ctx::fail);
  }

  void sessionKey(RoutingContext ctx) {
    SessionQuery query = SessionQuery.parse(ctx.pathParam("sessionKey"), Requests.params(ctx));
    Access access = Requests.access(ctx);
    backend.store().search(EventSearch.sessionRequest(backend.config().indexPattern(), query, access.owner()))
        .onSuccess(r -> {
          Map<String, Object> params = new LinkedHashMap<>();
          params.put("sessionKey", query.sessionKey());
          params.put("size", query.size());
          if (r.hits().hits().isEmpty()) {
            ctx.fail(ApiException.notFound("No events for session " + query.sessionKey()));
            return;
          }
          Audit.query(ctx, SESSION_KEY, params, r.hits().hits().size());
          ctx.json(new JsonObject().put("sessionKey", query.sessionKey()).put("total", Documents.total(r))
              .put("events", EventSearch.events(r)));
        })
        .onFailure(ctx::fail);
  }
}
