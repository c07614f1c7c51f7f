package dev.vigil.query.impl;

import java.util.List;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import org.opensearch.client.opensearch._types.FieldValue;
import org.opensearch.client.opensearch._types.SortOptions;
import org.opensearch.client.opensearch._types.SortOrder;
import org.opensearch.client.opensearch._types.mapping.FieldType;
import org.opensearch.client.opensearch._types.query_dsl.BoolQuery;
import org.opensearch.client.opensearch.core.SearchRequest;

/** Reads one session document (with the caller's access checked) and the alerts of a session. */
final class Sessions {

  private final Store store;
  private final String sessionsIndex;
  private final String alertsIndex;

  Sessions(Store store, String sessionsIndex, String alertsIndex) {
    this.store = store;
    this.sessionsIndex = sessionsIndex;
    this.alertsIndex = alertsIndex;
  }

  /** The session {@code sessionId}: 404 when there is none, 403 when it is another identity's and the caller no analyst. */
  Future<JsonObject> load(String sessionId, Access access) {
    if (sessionId == null || sessionId.isBlank() || sessionId.length() > Params.MAX_VALUE_CHARS * 2) {
      return Future.failedFuture(ApiException.badRequest("Session id must be 1 to " + Params.MAX_VALUE_CHARS * 2
          + " characters"));
    }
    SearchRequest request = new SearchRequest.Builder()
        .index(sessionsIndex)
        .ignoreUnavailable(true)
        .allowNoIndices(true)
        .size(1)
        .query(q -> q.ids(i -> i.values(sessionId)))
        .build();
    return store.search(request).compose(r -> {
      if (r.hits().hits().isEmpty()) {
        return Future.failedFuture(ApiException.notFound("No session " + sessionId));
      }
      JsonObject session = Documents.of(r.hits().hits().get(0), false);
      access.check(session, "session");
      return Future.succeededFuture(session);
    });
  }

  /**
   * The alerts stamped with {@code sessionId}, oldest first, at most {@code max}; for a caller outside the analyst
   * group only those of its own identity (the session was checked already: this keeps a stray alert of another
   * identity out even if one were stamped with this session's id).
   */
  Future<List<JsonObject>> alerts(String sessionId, int max, Access access) {
    BoolQuery.Builder bool = new BoolQuery.Builder()
        .filter(f -> f.term(t -> t.field("sessionId").value(FieldValue.of(sessionId))));
    if (access.ownerFilter() != null) {
      bool.filter(access.ownerFilter());
    }
    BoolQuery query = bool.build();
    SearchRequest request = new SearchRequest.Builder()
        .index(alertsIndex)
        .ignoreUnavailable(true)
        .allowNoIndices(true)
        .size(max)
        .query(q -> q.bool(query))
        .sort(sort("timeMillis", SortOrder.Asc, FieldType.Long), sort("alertId", SortOrder.Asc, FieldType.Keyword))
        .build();
    return store.search(request).map(r -> Documents.list(r, false));
  }

  static SortOptions sort(String field, SortOrder order, FieldType unmappedType) {
    return SortOptions.of(s -> s.field(f -> f.field(field).order(order).unmappedType(unmappedType)));
  }
}
