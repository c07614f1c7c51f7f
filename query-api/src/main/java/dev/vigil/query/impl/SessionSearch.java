package dev.vigil.query.impl;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.opensearch.client.json.JsonData;
import org.opensearch.client.opensearch._types.FieldValue;
import org.opensearch.client.opensearch._types.SortOptions;
import org.opensearch.client.opensearch._types.SortOrder;
import org.opensearch.client.opensearch._types.mapping.FieldType;
import org.opensearch.client.opensearch._types.query_dsl.BoolQuery;
import org.opensearch.client.opensearch._types.query_dsl.Query;
import org.opensearch.client.opensearch.core.SearchRequest;

/** The OpenSearch requests of the session search over the sessions index (field names: the issue-6 contract, see README). */
final class SessionSearch {

  private SessionSearch() {}

  /** The filters of {@code query} (all but {@code q}), plus the caller's own-documents filter for a non-analyst. */
  static BoolQuery.Builder filters(SessionSearchQuery query, Access access) {
    BoolQuery.Builder b = new BoolQuery.Builder();
    if (access.ownerFilter() != null) {
      b.filter(access.ownerFilter());
    }
    if (query.identity() != null) {
      b.filter(f -> f.bool(x -> x.should(term("identity.username", query.identity()),
          term("identity.subject", query.identity())).minimumShouldMatch("1")));
    }
    add(b, "identity.groups", query.group());
    add(b, "namespaces", query.namespace());
    add(b, "verbs", query.verb());
    add(b, "resources", query.resource());
    add(b, "channels", query.channel());
    add(b, "status", query.status());
    if (query.hasAlerts() != null) {
      b.filter(f -> f.term(t -> t.field("hasAlerts").value(FieldValue.of(query.hasAlerts()))));
    }
    // a session overlaps [from, to]
    if (query.from() != null) {
      b.filter(f -> f.range(r -> r.field("lastEventTimeMillis").gte(JsonData.of(query.from()))));
    }
    if (query.to() != null) {
      b.filter(f -> f.range(r -> r.field("firstEventTimeMillis").lte(JsonData.of(query.to()))));
    }
    return b;
  }

  /** One page: {@code size + 1} hits so the answer knows whether a next page exists. */
  static SearchRequest page(String index, SessionSearchQuery query, Access access, Collection<String> onlyIds) {
    BoolQuery.Builder b = filters(query, access);
    if (onlyIds != null) {
      List<String> ids = new ArrayList<>(onlyIds);
      b.filter(f -> f.ids(i -> i.values(ids)));
    }
    BoolQuery bool = b.build();
    SearchRequest.Builder r = new SearchRequest.Builder()
        .index(index)
        .ignoreUnavailable(true).allowNoIndices(true)
        .trackTotalHits(t -> t.enabled(true))
        .size(query.size() + 1)
        .query(q -> q.bool(bool))
        .sort(sort(query.sort(), query.order()));
    if (query.searchAfter() != null) {
      r.searchAfterVals(query.searchAfter());
    }
    return r.build();
  }

  /** Sort fields: the chosen one, then tie-breakers so that every session has a unique position. */
  static List<SortOptions> sort(String sort, SortOrder order) {
    List<SortOptions> out = new ArrayList<>();
    switch (sort) {
      case "firstEventTime" -> out.add(Sessions.sort("firstEventTimeMillis", order, FieldType.Long));
      case "alertCount" -> {
        out.add(Sessions.sort("alertCount", order, FieldType.Long));
        out.add(Sessions.sort("lastEventTimeMillis", SortOrder.Desc, FieldType.Long));
      }
      default -> out.add(Sessions.sort("lastEventTimeMillis", order, FieldType.Long));
    }
    out.add(Sessions.sort("sessionId", SortOrder.Asc, FieldType.Keyword));
    return out;
  }

  static int sortValueCount(String sort) {
    return sort.equals("alertCount") ? 3 : 2;
  }

  private static void add(BoolQuery.Builder b, String field, String value) {
    if (value != null) {
      b.filter(term(field, value));
    }
  }

  static Query term(String field, String value) {
    return Query.of(q -> q.term(t -> t.field(field).value(FieldValue.of(value))));
  }
}
