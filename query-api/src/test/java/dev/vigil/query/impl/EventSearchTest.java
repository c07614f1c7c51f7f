package dev.vigil.query.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;

import jakarta.json.stream.JsonGenerator;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import org.junit.jupiter.api.Test;
import org.opensearch.client.json.JsonpMapper;
import org.opensearch.client.json.jackson.JacksonJsonpMapper;
import org.opensearch.client.opensearch.core.SearchRequest;

class EventSearchTest {

  private static JsonObject json(SearchRequest request) {
    JsonpMapper mapper = new JacksonJsonpMapper();
    StringWriter w = new StringWriter();
    try (JsonGenerator g = mapper.jsonProvider().createGenerator(w)) {
      request.serialize(g, mapper);
    }
    return new JsonObject(w.toString());
  }

  @Test
  void shouldCombineFullTextWithTermFiltersNewestFirst() {
    SearchRequest r = EventSearch.searchRequest("vigil-events-*",
        new EventQuery("rotation", "alice", "prod", "get", "secrets", "s-1", 20), null);
    JsonObject body = json(r);

    assertThat(r.index()).containsExactly("vigil-events-*");
    assertThat(r.ignoreUnavailable()).isTrue();
    assertThat(r.allowNoIndices()).isTrue();
    assertThat(body.getInteger("size")).isEqualTo(20);
    JsonObject bool = body.getJsonObject("query").getJsonObject("bool");
    JsonObject sqs = bool.getJsonArray("must").getJsonObject(0).getJsonObject("simple_query_string");
    assertThat(sqs.getString("query")).isEqualTo("rotation");
    assertThat(sqs.getString("default_operator")).isEqualToIgnoringCase("and");
    assertThat(sqs.getJsonArray("fields").encode()).contains("\"body.content\"").contains("\"path.text\"");
    String filters = bool.getJsonArray("filter").encode();
    assertThat(filters).contains("\"k8s.namespace\"").contains("\"k8s.verb\"").contains("\"k8s.resource\"")
        .contains("\"sessionKey\"").contains("\"identity.username\"").contains("\"identity.subject\"");
    JsonArray sort = body.getJsonArray("sort");
    assertThat(sort.getJsonObject(0).getJsonObject("time").getString("order")).isEqualTo("desc");
    assertThat(sort.getJsonObject(1).getJsonObject("sequence").getString("order")).isEqualTo("desc");
  }

  @Test
  void shouldMatchEverythingWithoutFilters() {
    JsonObject body = json(EventSearch.searchRequest("x-*", new EventQuery(null, null, null, null, null, null, 50), null));
    JsonObject bool = body.getJsonObject("query").getJsonObject("bool");
    assertThat(bool.containsKey("must")).isFalse();
    assertThat(bool.containsKey("filter")).isFalse();
  }

  @Test
  void shouldOrderASessionByKafkaOffsetThenSequenceThenTime() {
    JsonObject body = json(EventSearch.sessionRequest("vigil-events-*", new SessionQuery("s-1", 1000), null));
    JsonArray sort = body.getJsonArray("sort");
    JsonObject offset = sort.getJsonObject(0).getJsonObject("kafka.offset");
    assertThat(offset.getString("order")).isEqualTo("asc");
    assertThat(offset.getString("missing")).isEqualTo("_first");
    assertThat(offset.getString("unmapped_type")).isEqualTo("long");
    assertThat(sort.getJsonObject(1).getJsonObject("sequence").getString("order")).isEqualTo("asc");
    assertThat(sort.getJsonObject(2).getJsonObject("time").getString("order")).isEqualTo("asc");
    assertThat(body.getJsonObject("query").encode()).contains("\"sessionKey\"").contains("s-1")
        .doesNotContain("identity.username");
    assertThat(body.getJsonObject("_source").encode()).contains("raw");
  }

  @Test
  void shouldRestrictANonAnalystToItsOwnEvents() {
    JsonObject search = json(EventSearch.searchRequest("x-*", new EventQuery(null, null, null, null, null, null, 50),
        "agent-1"));
    assertThat(search.getJsonObject("query").getJsonObject("bool").getJsonArray("filter").encode())
        .contains("{\"term\":{\"identity.username\":{\"value\":\"agent-1\"}}}");
    JsonObject session = json(EventSearch.sessionRequest("x-*", new SessionQuery("s-1", 10), "agent-1"));
    assertThat(session.getJsonObject("query").encode()).contains("identity.username").contains("agent-1");
  }
}
