package dev.vigil.query.impl;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import org.opensearch.client.opensearch._types.FieldValue;
import org.opensearch.client.opensearch._types.SortOptions;
import org.opensearch.client.opensearch._types.SortOrder;
import org.opensearch.client.opensearch._types.mapping.FieldType;
import org.opensearch.client.opensearch._types.query_dsl.BoolQuery;
import org.opensearch.client.opensearch._types.query_dsl.Operator;
import org.opensearch.client.opensearch._types.query_dsl.Query;
import org.opensearch.client.opensearch.core.SearchRequest;
import org.opensearch.client.opensearch.core.SearchResponse;
import org.opensearch.client.opensearch.core.search.Hit;

/**
 * Builds the OpenSearch requests for the API and turns answers into API JSON. Field names are the indexer's document
 * contract (see {@code indexer/README.md}).
 */
public final class EventSearch {

  /** Fields searched by {@code q}. */
  public static final List<String> FULL_TEXT_FIELDS = List.of(
      "body.content", "path.text", "query.text", "k8s.name.text", "decision.reason", "error.message",
      "identity.username", "identity.subject", "k8s.namespace", "k8s.resource");

  private EventSearch() {}

  /**
   * Newest first: time, then sequence, both descending. {@code owner}: only events whose {@code identity.username} is
   * this (a caller outside the analyst group), or null for all.
   */
  public static SearchRequest searchRequest(String indexPattern, EventQuery query, String owner) {
    BoolQuery.Builder bool = new BoolQuery.Builder();
    addTerm(bool, "identity.username", owner);
    if (query.q() != null) {
      bool.must(m -> m.simpleQueryString(s -> s
          .query(query.q())
          .fields(FULL_TEXT_FIELDS)
          .defaultOperator(Operator.And)
          .lenient(true)));
    }
    if (query.identity() != null) {
      // the identity filter matches either the mapped username or the token subject
      bool.filter(f -> f.bool(b -> b
          .should(term("identity.username", query.identity()), term("identity.subject", query.identity()))
          .minimumShouldMatch("1")));
    }
    addTerm(bool, "k8s.namespace", query.namespace());
    addTerm(bool, "k8s.verb", query.verb());
    addTerm(bool, "k8s.resource", query.resource());
    addTerm(bool, "sessionKey", query.sessionKey());
    BoolQuery built = bool.build();
    return new SearchRequest.Builder()
        .index(indices(indexPattern))
        .ignoreUnavailable(true)
        .allowNoIndices(true)
        .trackTotalHits(t -> t.enabled(true))
        .size(query.size())
        .source(src -> src.filter(f -> f.excludes(Documents.RAW)))
        .query(q -> q.bool(built))
        .sort(sort("time", SortOrder.Desc, FieldType.Date), sort("sequence", SortOrder.Desc, FieldType.Long),
            sort("eventId", SortOrder.Asc, FieldType.Keyword))
        .build();
  }

  /**
   * One session's events in order: {@code kafka.offset}, then {@code sequence}, then {@code time}, ascending. Events are
   * keyed by session, so one session's events share a partition and their offset order is the order the gateways
   * produced them in, across gateway instances ({@code sequence} only counts per gateway instance). Documents indexed
   * before {@code kafka.offset} existed have none and come first (they are older).
   */
  public static SearchRequest sessionRequest(String indexPattern, SessionQuery query, String owner) {
    BoolQuery.Builder bool = new BoolQuery.Builder().filter(term("sessionKey", query.sessionKey()));
    addTerm(bool, "identity.username", owner);
    BoolQuery built = bool.build();
    return new SearchRequest.Builder()
        .index(indices(indexPattern))
        .ignoreUnavailable(true)
        .allowNoIndices(true)
        .trackTotalHits(t -> t.enabled(true))
        .size(query.size())
        .source(src -> src.filter(f -> f.excludes(Documents.RAW)))
        .query(q -> q.bool(built))
        .sort(SortOptions.of(s -> s.field(f -> f.field("kafka.offset").order(SortOrder.Asc).unmappedType(FieldType.Long)
                .missing(FieldValue.of("_first")))),
            sort("sequence", SortOrder.Asc, FieldType.Long), sort("time", SortOrder.Asc, FieldType.Date),
            sort("eventId", SortOrder.Asc, FieldType.Keyword))
        .build();
  }

  private static List<String> indices(String pattern) {
    return List.of(pattern.split(","));
  }

  static long total(SearchResponse<ObjectNode> response) {
    return response.hits().total() == null ? response.hits().hits().size() : response.hits().total().value();
  }

  static JsonArray events(SearchResponse<ObjectNode> response) {
    List<Object> out = new ArrayList<>();
    for (Hit<ObjectNode> hit : response.hits().hits()) {
      if (hit.source() != null) {
        JsonObject doc = new JsonObject(hit.source().toString());
        doc.remove(Documents.RAW);
        out.add(doc);
      }
    }
    return new JsonArray(out);
  }

  private static void addTerm(BoolQuery.Builder bool, String field, String value) {
    if (value != null) {
      bool.filter(term(field, value));
    }
  }

  private static Query term(String field, String value) {
    return Query.of(q -> q.term(t -> t.field(field).value(FieldValue.of(value))));
  }

  private static SortOptions sort(String field, SortOrder order, FieldType unmappedType) {
    return SortOptions.of(s -> s.field(f -> f.field(field).order(order).unmappedType(unmappedType)));
  }
}
