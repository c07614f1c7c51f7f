package dev.vigil.query.impl;

import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import org.opensearch.client.json.JsonData;
import org.opensearch.client.opensearch._types.FieldValue;
import org.opensearch.client.opensearch._types.SortOrder;
import org.opensearch.client.opensearch._types.mapping.FieldType;
import org.opensearch.client.opensearch._types.query_dsl.BoolQuery;
import org.opensearch.client.opensearch._types.query_dsl.Operator;
import org.opensearch.client.opensearch.core.SearchRequest;
import org.opensearch.client.opensearch.core.SearchResponse;

/** {@code GET /api/v1/alerts}: filters, full text over the description, newest first, {@code search_after} pages. */
final class AlertsHandler {

  static final String ENDPOINT = "GET /api/v1/alerts";
  static final String SORT_KEY = "alerts:time:desc";
  static final Set<String> PARAMETERS = Set.of("type", "severity", "identity", "sessionId", "from", "to", "q", "size",
      "searchAfter");
  static final List<String> SEVERITIES = List.of("LOW", "MEDIUM", "HIGH", "CRITICAL");
  static final List<String> FULL_TEXT_FIELDS = List.of("description", "type");

  private final Backend backend;

  AlertsHandler(Backend backend) {
    this.backend = backend;
  }

  void search(RoutingContext ctx) {
    Params p = Params.of(Requests.params(ctx), PARAMETERS);
    SearchRequest request = request(backend.config().alertsIndex(), p, Requests.access(ctx),
        backend.limits().pageSizeMax());
    int size = request.size() - 1;
    backend.store().search(request).onSuccess(r -> {
      JsonObject body = answer(r, size);
      Audit.query(ctx, ENDPOINT, p.given(), body.getJsonArray("alerts").size());
      ctx.json(body);
    }).onFailure(ctx::fail);
  }

  /** The request for one page ({@code size + 1} hits: the extra one says a next page exists). */
  static SearchRequest request(String index, Params p, Access access, int maxSize) {
    String type = p.string("type");
    String severity = p.choice("severity", SEVERITIES);
    String identity = p.string("identity");
    access.checkIdentityFilter(identity);
    String sessionId = p.string("sessionId", Params.MAX_VALUE_CHARS * 2);
    Long from = p.epochMillis("from");
    Long to = p.epochMillis("to");
    Params.checkRange(from, to);
    String q = p.string("q", Params.MAX_Q_CHARS);
    int size = p.size(SessionSearchQuery.DEFAULT_SIZE, maxSize);
    String token = p.string("searchAfter", 4096);
    BoolQuery.Builder b = new BoolQuery.Builder();
    if (access.ownerFilter() != null) {
      b.filter(access.ownerFilter());
    }
    term(b, "type", type);
    term(b, "severity", severity);
    term(b, "sessionId", sessionId);
    if (identity != null) {
      b.filter(f -> f.bool(x -> x.should(SessionSearch.term("identity.username", identity),
          SessionSearch.term("identity.subject", identity)).minimumShouldMatch("1")));
    }
    if (from != null) {
      b.filter(f -> f.range(r -> r.field("timeMillis").gte(JsonData.of(from))));
    }
    if (to != null) {
      b.filter(f -> f.range(r -> r.field("timeMillis").lte(JsonData.of(to))));
    }
    if (q != null) {
      b.must(m -> m.simpleQueryString(s -> s.query(q).fields(FULL_TEXT_FIELDS).defaultOperator(Operator.And)
          .lenient(true)));
    }
    BoolQuery bool = b.build();
    SearchRequest.Builder r = new SearchRequest.Builder()
        .index(index)
        .ignoreUnavailable(true).allowNoIndices(true)
        .trackTotalHits(t -> t.enabled(true))
        .size(size + 1)
        .query(x -> x.bool(bool))
        .sort(Sessions.sort("timeMillis", SortOrder.Desc, FieldType.Long),
            Sessions.sort("alertId", SortOrder.Asc, FieldType.Keyword));
    if (token != null) {
      r.searchAfterVals(PageToken.decode(token, SORT_KEY, 2));
    }
    return r.build();
  }

  static JsonObject answer(SearchResponse<ObjectNode> r, int size) {
    List<JsonObject> alerts = Documents.list(r, false);
    String next = null;
    if (alerts.size() > size) {
      alerts = alerts.subList(0, size);
      next = PageToken.encode(SORT_KEY, r.hits().hits().get(size - 1).sortVals());
    }
    return new JsonObject().put("alerts", Documents.array(alerts)).put("total", Documents.total(r))
        .put("nextSearchAfter", next);
  }

  private static void term(BoolQuery.Builder b, String field, String value) {
    if (value != null) {
      b.filter(f -> f.term(t -> t.field(field).value(FieldValue.of(value))));
    }
  }
}
