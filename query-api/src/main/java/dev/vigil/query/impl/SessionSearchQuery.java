package dev.vigil.query.impl;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.opensearch.client.opensearch._types.FieldValue;
import org.opensearch.client.opensearch._types.SortOrder;

/** The validated parameters of {@code GET /api/v1/sessions}. */
record SessionSearchQuery(String identity, String group, String namespace, String verb, String resource,
    String channel, Boolean hasAlerts, String status, Long from, Long to, String q, String sort, SortOrder order,
    int size, List<FieldValue> searchAfter, Map<String, Object> given) {

  static final int DEFAULT_SIZE = 50;
  static final List<String> SORTS = List.of("lastEventTime", "firstEventTime", "alertCount");
  static final Set<String> PARAMETERS = Set.of("identity", "group", "namespace", "verb", "resource", "channel",
      "hasAlerts", "status", "from", "to", "q", "sort", "order", "size", "searchAfter");

  static SessionSearchQuery parse(Map<String, List<String>> raw, int maxSize) {
    Params p = Params.of(raw, PARAMETERS);
    String identity = p.string("identity");
    String group = p.string("group");
    String namespace = p.string("namespace");
    String verb = p.string("verb");
    String resource = p.string("resource");
    String channel = p.string("channel");
    Boolean hasAlerts = p.bool("hasAlerts");
    String status = p.choice("status", List.of("OPEN", "CLOSED"));
    Long from = p.epochMillis("from");
    Long to = p.epochMillis("to");
    Params.checkRange(from, to);
    String q = p.string("q", Params.MAX_Q_CHARS);
    String sort = p.choice("sort", SORTS);
    sort = sort == null ? "lastEventTime" : sort;
    String order = p.choice("order", List.of("desc", "asc"));
    SortOrder sortOrder = "asc".equals(order) ? SortOrder.Asc : SortOrder.Desc;
    int size = p.size(DEFAULT_SIZE, maxSize);
    String token = p.string("searchAfter", 4096);
    List<FieldValue> after = token == null ? null
        : PageToken.decode(token, sortKey(sort, sortOrder), SessionSearch.sortValueCount(sort));
    return new SessionSearchQuery(identity, group, namespace, verb, resource, channel, hasAlerts, status, from, to, q,
        sort, sortOrder, size, after, p.given());
  }

  /** What a page token is bound to. */
  static String sortKey(String sort, SortOrder order) {
    return "sessions:" + sort + ":" + (order == SortOrder.Asc ? "asc" : "desc");
  }

  String sortKey() {
    return sortKey(sort, order);
  }
}
