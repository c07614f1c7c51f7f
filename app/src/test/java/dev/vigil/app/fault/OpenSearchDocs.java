package dev.vigil.app.fault;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** What OpenSearch holds: document counts and every document id of an index pattern (paged with search_after). */
final class OpenSearchDocs {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final String url;

  OpenSearchDocs(String url) {
    this.url = url;
  }

  /** Documents in {@code pattern} after a refresh (0 when no index matches). */
  long count(String pattern) {
    refresh(pattern);
    JsonNode body = call("GET", "/" + pattern + "/_count?ignore_unavailable=true&allow_no_indices=true", null);
    return body.path("count").asLong();
  }

  /** The id of every document in {@code pattern}, one entry per document (so a duplicate id appears twice). */
  List<String> ids(String pattern) {
    refresh(pattern);
    List<String> ids = new ArrayList<>();
    JsonNode after = null;
    while (true) {
      ObjectNode q = JSON.createObjectNode().put("size", 5000).put("_source", false).put("track_total_hits", false);
      q.putArray("sort").add("_doc");
      if (after != null) {
        q.set("search_after", after);
      }
      JsonNode hits = call("POST", "/" + pattern + "/_search?ignore_unavailable=true&allow_no_indices=true",
          q.toString()).path("hits").path("hits");
      if (hits.isEmpty()) {
        return ids;
      }
      hits.forEach(h -> ids.add(h.path("_id").asText()));
      after = hits.get(hits.size() - 1).path("sort");
    }
  }

  /** The _source of every document of {@code pattern} (small indices: sessions, alerts). */
  List<JsonNode> sources(String pattern) {
    refresh(pattern);
    JsonNode hits = call("POST", "/" + pattern + "/_search?ignore_unavailable=true&allow_no_indices=true",
        "{\"size\":10000}").path("hits").path("hits");
    List<JsonNode> out = new ArrayList<>();
    hits.forEach(h -> out.add(h.path("_source")));
    return out;
  }

  private void refresh(String pattern) {
    call("POST", "/" + pattern + "/_refresh?ignore_unavailable=true&allow_no_indices=true", null);
  }

  private JsonNode call(String method, String path, String body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    try {
      HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IllegalStateException(method + " " + path + " -> " + r.statusCode() + ": " + r.body());
      }
      return JSON.readTree(r.body());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(method + " " + path, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
