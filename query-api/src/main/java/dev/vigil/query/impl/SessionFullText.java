package dev.vigil.query.impl;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import org.opensearch.client.opensearch._types.FieldValue;
import org.opensearch.client.opensearch._types.SortOrder;
import org.opensearch.client.opensearch._types.aggregations.Aggregate;
import org.opensearch.client.opensearch._types.aggregations.AutoDateHistogramAggregate;
import org.opensearch.client.opensearch._types.aggregations.DateHistogramBucket;
import org.opensearch.client.opensearch._types.aggregations.StringTermsBucket;
import org.opensearch.client.opensearch._types.query_dsl.BoolQuery;
import org.opensearch.client.opensearch._types.query_dsl.Operator;
import org.opensearch.client.opensearch.core.SearchRequest;
import org.opensearch.client.opensearch.core.SearchResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.vigil.query.QueryLimits;

/**
 * The session search's {@code q}: full text over the sessions' events (the fields of {@code /api/v1/events?q=}).
 * Events do not carry their session id, so a session matches when a matching event of its session key lies in its
 * time span: (1) the matching events are aggregated by session key, each key's event times into at most
 * {@value #BUCKETS} time buckets (OpenSearch's {@code auto_date_histogram}: one-minute buckets for matches within a
 * few hours); (2) the candidate sessions of those keys (with the other filters) are read; (3) those whose span
 * overlaps a bucket holding matches are the answer, which the page query then restricts to by id. Sessions of one key
 * are separated by the inactivity gap, so a bucket wider than the gap may also match a neighbouring session of the
 * same key: the result can be a little wider than exact, never narrower — unless a limit cut it: more matching
 * session keys than {@code limits.full-text-session-keys} (the keys with the most recent matches are kept) or more
 * candidate sessions than {@code limits.full-text-sessions}; the answer then carries {@code X-Vigil-Partial: true}.
 */
final class SessionFullText {

  private static final Logger LOG = LoggerFactory.getLogger(SessionFullText.class);
  static final int BUCKETS = 40;

  /** The matching sessions; {@code partial} when a limit left some out (the answer says so in a header). */
  record Matches(Set<String> ids, boolean partial) {}

  /** Matching time spans of one session key: [start, end) pairs in milliseconds. */
  record Spans(List<long[]> spans) {
    boolean overlaps(long first, long last) {
      for (long[] s : spans) {
        if (first < s[1] && last >= s[0]) {
          return true;
        }
      }
      return false;
    }
  }

  private final Store store;
  private final String eventsIndexPattern;
  private final String sessionsIndex;
  private final int maxKeys;
  private final int maxSessions;

  SessionFullText(Store store, String eventsIndexPattern, String sessionsIndex, int maxKeys, int maxSessions) {
    this.store = store;
    this.eventsIndexPattern = eventsIndexPattern;
    this.sessionsIndex = sessionsIndex;
    this.maxKeys = maxKeys;
    this.maxSessions = maxSessions;
  }

  /**
   * The ids of the sessions (passing the query's other filters) with an event matching {@code query.q()}. When more
   * session keys match than {@code limits.full-text-session-keys}, those with the most recent matches are kept.
   */
  Future<Matches> matchingSessionIds(SessionSearchQuery query, Access access) {
    return store.search(eventAggregation(query.q(), access)).compose(r -> {
      Map<String, Spans> spans = spans(r);
      boolean keysCut = keysCut(r);
      if (spans.isEmpty()) {
        return Future.succeededFuture(new Matches(Set.of(), keysCut));
      }
      return store.search(candidates(query, access, spans.keySet())).map(c -> {
        boolean sessionsCut = Documents.total(c) > c.hits().hits().size();
        if (sessionsCut) {
          LOG.info("Full-text session search matched {} candidate sessions, more than {} = {}: the rest are left out",
              Documents.total(c), QueryLimits.FULL_TEXT_SESSIONS, maxSessions);
        }
        Set<String> ids = new LinkedHashSet<>();
        for (JsonObject s : Documents.list(c, false)) {
          Spans sp = spans.get(s.getString("sessionKey"));
          Long first = Documents.number(s, "firstEventTimeMillis");
          Long last = Documents.number(s, "lastEventTimeMillis");
          if (sp != null && first != null && last != null && sp.overlaps(first, last)) {
            ids.add(s.getString("id"));
          }
        }
        return new Matches(ids, keysCut || sessionsCut);
      });
    });
  }

  SearchRequest eventAggregation(String q, Access access) {
    BoolQuery.Builder b = new BoolQuery.Builder().must(m -> m.simpleQueryString(s -> s
        .query(q).fields(EventSearch.FULL_TEXT_FIELDS).defaultOperator(Operator.And).lenient(true)));
    if (access.ownerFilter() != null) {
      b.filter(access.ownerFilter());
    }
    BoolQuery bool = b.build();
    return new SearchRequest.Builder()
        .index(List.of(eventsIndexPattern.split(",")))
        .ignoreUnavailable(true).allowNoIndices(true)
        .size(0)
        .query(x -> x.bool(bool))
        // the keys with the most recent matches first, so that a cut keeps what the default sort shows first
        .aggregations("keys", a -> a.terms(t -> t.field("sessionKey").size(maxKeys)
                .order(List.of(Map.of("last", SortOrder.Desc))))
            .aggregations("last", m -> m.max(x -> x.field("timeMillis")))
            .aggregations("times", h -> h.autoDateHistogram(d -> d.field("time").buckets(BUCKETS))))
        .build();
  }

  private SearchRequest candidates(SessionSearchQuery query, Access access, Set<String> keys) {
    List<FieldValue> values = new ArrayList<>();
    keys.forEach(k -> values.add(FieldValue.of(k)));
    BoolQuery bool = SessionSearch.filters(query, access)
        .filter(f -> f.terms(t -> t.field("sessionKey").terms(v -> v.value(values))))
        .build();
    return new SearchRequest.Builder()
        .index(sessionsIndex)
        .ignoreUnavailable(true).allowNoIndices(true)
        .trackTotalHits(t -> t.enabled(true))
        .size(maxSessions)
        .source(s -> s.filter(f -> f.includes("sessionKey", "firstEventTimeMillis", "lastEventTimeMillis")))
        .query(x -> x.bool(bool))
        .build();
  }

  /** Session key → the spans of its matching events. */
  Map<String, Spans> spans(SearchResponse<ObjectNode> r) {
    Aggregate keys = r.aggregations() == null ? null : r.aggregations().get("keys");
    if (keys == null || !keys.isSterms()) {
      return Map.of();
    }
    Map<String, Spans> out = new HashMap<>();
    for (StringTermsBucket key : keys.sterms().buckets().array()) {
      Aggregate times = key.aggregations().get("times");
      if (times == null || !times.isAutoDateHistogram()) {
        continue;
      }
      out.put(key.key(), spans(times.autoDateHistogram()));
    }
    return out;
  }

  private boolean keysCut(SearchResponse<ObjectNode> r) {
    Aggregate keys = r.aggregations() == null ? null : r.aggregations().get("keys");
    boolean cut = keys != null && keys.isSterms() && keys.sterms().sumOtherDocCount() > 0;
    if (cut) {
      LOG.info("Full-text session search matched events of more than {} = {} session keys: the older ones are left out",
          QueryLimits.FULL_TEXT_SESSION_KEYS, maxKeys);
    }
    return cut;
  }

  static Spans spans(AutoDateHistogramAggregate histogram) {
    long width = intervalMillis(histogram.interval());
    List<long[]> spans = new ArrayList<>();
    for (DateHistogramBucket bucket : histogram.buckets().array()) {
      if (bucket.docCount() == 0) {
        continue;
      }
      long start = Long.parseLong(bucket.key());
      long end = width == Long.MAX_VALUE ? Long.MAX_VALUE : start + width;
      long[] lastSpan = spans.isEmpty() ? null : spans.get(spans.size() - 1);
      if (lastSpan != null && lastSpan[1] >= start) {
        lastSpan[1] = Math.max(lastSpan[1], end);
      } else {
        spans.add(new long[] {start, end});
      }
    }
    return new Spans(spans);
  }

  /** {@code 1s}, {@code 5m}, {@code 12h}, {@code 7d}, {@code 1M}, {@code 10y} → milliseconds (months, years rounded up). */
  static long intervalMillis(String interval) {
    if (interval == null || interval.length() < 2) {
      return Long.MAX_VALUE;
    }
    long n;
    try {
      n = Long.parseLong(interval.substring(0, interval.length() - 1));
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE; // an interval we cannot read: treat the buckets as open-ended (wider, never narrower)
    }
    long unit = switch (interval.charAt(interval.length() - 1)) {
      case 's' -> 1_000L;
      case 'm' -> 60_000L;
      case 'h' -> 3_600_000L;
      case 'd' -> 86_400_000L;
      case 'w' -> 7 * 86_400_000L;
      case 'M' -> 31 * 86_400_000L;
      case 'y' -> 366 * 86_400_000L;
      default -> 0L;
    };
    return unit == 0 ? Long.MAX_VALUE : n * unit;
  }
}
