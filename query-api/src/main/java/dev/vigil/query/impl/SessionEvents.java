package dev.vigil.query.impl;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import org.opensearch.client.json.JsonData;
import org.opensearch.client.opensearch._types.FieldValue;
import org.opensearch.client.opensearch._types.SortOrder;
import org.opensearch.client.opensearch._types.mapping.FieldType;
import org.opensearch.client.opensearch._types.query_dsl.BoolQuery;
import org.opensearch.client.opensearch._types.query_dsl.Query;
import org.opensearch.client.opensearch.core.CountRequest;
import org.opensearch.client.opensearch.core.SearchRequest;
import org.opensearch.client.opensearch.core.SearchResponse;
import org.opensearch.client.opensearch.core.search.Hit;

/**
 * A session's events in chain order. The chain (stream-processors/README.md) runs over the session key's partition
 * in offset order from the session's first event — the id after the last {@code #} of the session id — for
 * {@code eventCount} events once the session is CLOSED (later events of the key belong to the next session); an
 * OPEN session's events are all those of its key from the first one on. Ordered by ({@code kafka.partition},
 * {@code kafka.offset}), paged with {@code search_after}, so no result window limits a session's length.
 */
final class SessionEvents {

  /** Where a session's events are; {@code count} limits a CLOSED session to its chain, null for an OPEN one. */
  record Scope(String sessionId, String sessionKey, long partition, long firstOffset, Long count) {}

  /** A bounded read: the events and whether more were left out. */
  record Page(List<JsonObject> events, boolean truncated) {}

  private static final int PAGE = 1000;
  private static final int RAW_PAGE = 200;

  private final Store store;
  private final String eventsIndexPattern;

  SessionEvents(Store store, String eventsIndexPattern) {
    this.store = store;
    this.eventsIndexPattern = eventsIndexPattern;
  }

  /** The scope of {@code session}; null when its first event is not indexed (yet), or it has none. */
  Future<Scope> scope(JsonObject session) {
    String sessionId = session.getString("id");
    String sessionKey = session.getString("sessionKey");
    int hash = sessionId.lastIndexOf('#');
    if (sessionKey == null || hash < 0 || hash == sessionId.length() - 1) {
      return Future.succeededFuture(null);
    }
    String firstEventId = sessionId.substring(hash + 1);
    Long eventCount = Documents.number(session, "eventCount");
    Long count = "CLOSED".equals(session.getString("status")) ? (eventCount == null ? 0L : eventCount) : null;
    SearchRequest request = new SearchRequest.Builder()
        .index(List.of(eventsIndexPattern.split(",")))
        .ignoreUnavailable(true).allowNoIndices(true).size(1)
        .source(s -> s.filter(f -> f.includes("kafka", "sessionKey")))
        .query(q -> q.bool(b -> b.filter(term("eventId", firstEventId), term("sessionKey", sessionKey))))
        .build();
    return store.search(request).map(r -> {
      if (r.hits().hits().isEmpty()) {
        return null;
      }
      JsonObject first = Documents.of(r.hits().hits().get(0), false);
      Long partition = Documents.number(first, "kafka", "partition");
      Long offset = Documents.number(first, "kafka", "offset");
      return partition == null || offset == null ? null : new Scope(sessionId, sessionKey, partition, offset, count);
    });
  }

  /** Up to {@code max} events of the scope from its start (or after {@code afterOffset}), matching {@code extra}. */
  Future<Page> read(Scope scope, Query extra, Long afterOffset, int max, boolean withRaw) {
    List<JsonObject> out = new ArrayList<>();
    long limit = extra == null && afterOffset == null && scope.count() != null ? Math.min(max, scope.count()) : max;
    // one more than asked, to tell whether the read was truncated
    long fetch = limit == max ? (long) max + 1 : limit;
    return stream(scope, extra, afterOffset, fetch, withRaw, page -> {
      out.addAll(page);
      return Future.succeededFuture();
    }).map(n -> {
      boolean truncated = out.size() > max;
      return new Page(truncated ? List.copyOf(out.subList(0, max)) : out, truncated);
    });
  }

  /**
   * Hands the scope's events to {@code sink} page by page (the next page is read once the sink's future completes),
   * at most {@code max}; completes with the number handed over.
   */
  Future<Long> stream(Scope scope, Query extra, Long afterOffset, long max, boolean withRaw,
      Function<List<JsonObject>, Future<Void>> sink) {
    long limit = extra == null && afterOffset == null && scope.count() != null ? Math.min(max, scope.count()) : max;
    return loop(scope, extra, afterOffset, null, limit, withRaw, sink, 0);
  }

  /** How many events of the scope are at or before {@code offset}. */
  Future<Long> countUpTo(Scope scope, long offset) {
    BoolQuery.Builder b = base(scope, null, null);
    b.filter(f -> f.range(r -> r.field("kafka.offset").lte(JsonData.of(offset))));
    BoolQuery q = b.build();
    return store.count(new CountRequest.Builder().index(List.of(eventsIndexPattern.split(",")))
        .ignoreUnavailable(true).allowNoIndices(true).query(x -> x.bool(q)).build());
  }

  /** The offset of the scope's latest indexed event ({@code firstOffset - 1} when none is). */
  Future<Long> lastOffset(Scope scope) {
    BoolQuery q = base(scope, null, null).build();
    SearchRequest request = new SearchRequest.Builder()
        .index(List.of(eventsIndexPattern.split(",")))
        .ignoreUnavailable(true).allowNoIndices(true).size(1)
        .source(s -> s.filter(f -> f.includes("kafka")))
        .query(x -> x.bool(q))
        .sort(Sessions.sort("kafka.offset", SortOrder.Desc, FieldType.Long))
        .build();
    return store.search(request).map(r -> r.hits().hits().isEmpty() ? scope.firstOffset() - 1
        : Documents.number(Documents.of(r.hits().hits().get(0), false), "kafka", "offset"));
  }

  /** How many events the scope has (capped by a CLOSED session's count). */
  Future<Long> count(Scope scope) {
    BoolQuery q = base(scope, null, null).build();
    return store.count(new CountRequest.Builder().index(List.of(eventsIndexPattern.split(",")))
        .ignoreUnavailable(true).allowNoIndices(true).query(x -> x.bool(q)).build())
        .map(n -> scope.count() == null ? n : Math.min(n, scope.count()));
  }

  private Future<Long> loop(Scope scope, Query extra, Long afterOffset, List<FieldValue> after, long remaining,
      boolean withRaw, Function<List<JsonObject>, Future<Void>> sink, long done) {
    if (remaining <= 0) {
      return Future.succeededFuture(done);
    }
    int size = (int) Math.min(remaining, withRaw ? RAW_PAGE : PAGE);
    return store.search(pageRequest(scope, extra, afterOffset, after, size, withRaw)).compose(r -> {
      List<Hit<ObjectNode>> hits = r.hits().hits();
      if (hits.isEmpty()) {
        return Future.succeededFuture(done);
      }
      List<JsonObject> page = Documents.list(r, withRaw);
      List<FieldValue> next = hits.get(hits.size() - 1).sortVals();
      return sink.apply(page).compose(v -> hits.size() < size
          ? Future.succeededFuture(done + hits.size())
          : loop(scope, extra, afterOffset, next, remaining - hits.size(), withRaw, sink, done + hits.size()));
    });
  }

  private SearchRequest pageRequest(Scope scope, Query extra, Long afterOffset, List<FieldValue> after, int size,
      boolean withRaw) {
    BoolQuery q = base(scope, extra, afterOffset).build();
    SearchRequest.Builder b = new SearchRequest.Builder()
        .index(List.of(eventsIndexPattern.split(",")))
        .ignoreUnavailable(true).allowNoIndices(true)
        .size(size)
        .query(x -> x.bool(q))
        .sort(Sessions.sort("kafka.offset", SortOrder.Asc, FieldType.Long),
            Sessions.sort("eventId", SortOrder.Asc, FieldType.Keyword));
    if (!withRaw) {
      b.source(s -> s.filter(f -> f.excludes(Documents.RAW)));
    }
    if (after != null) {
      b.searchAfterVals(after);
    }
    return b.build();
  }

  private static BoolQuery.Builder base(Scope scope, Query extra, Long afterOffset) {
    BoolQuery.Builder b = new BoolQuery.Builder()
        .filter(term("sessionKey", scope.sessionKey()))
        .filter(f -> f.term(t -> t.field("kafka.partition").value(FieldValue.of(scope.partition()))))
        .filter(f -> f.range(r -> r.field("kafka.offset").gte(JsonData.of(scope.firstOffset()))));
    if (afterOffset != null) {
      b.filter(f -> f.range(r -> r.field("kafka.offset").gt(JsonData.of(afterOffset))));
    }
    if (extra != null) {
      b.filter(extra);
    }
    return b;
  }

  static Query term(String field, String value) {
    return Query.of(q -> q.term(t -> t.field(field).value(FieldValue.of(value))));
  }
}
