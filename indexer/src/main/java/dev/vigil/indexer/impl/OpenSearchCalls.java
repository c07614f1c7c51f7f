package dev.vigil.indexer.impl;

import java.io.IOException;
import java.util.Map;

import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch.generic.Body;
import org.opensearch.client.opensearch.generic.Request;
import org.opensearch.client.opensearch.generic.Requests;
import org.opensearch.client.opensearch.generic.Response;

/**
 * Plain JSON calls through the generic client, for the administrative requests the typed client does not cover well
 * (index templates, mappings, ISM, index listing and deletion). An answer is returned whatever its status; transport
 * failures throw {@link IOException}.
 */
final class OpenSearchCalls {

  /** The status and body of an answer. */
  record Answer(int status, String body) {

    boolean ok() {
      return status >= 200 && status < 300;
    }

    /** 408, 429 and 5xx: worth trying again later. */
    boolean retryable() {
      return status == 408 || status == 429 || status >= 500;
    }

    /** {@code <what> answered <status>: <body, abbreviated>}. */
    String describe(String what) {
      return what + " answered " + status + ": " + abbreviate(body);
    }
  }

  private final OpenSearchClient client;

  OpenSearchCalls(OpenSearchClient client) {
    this.client = client;
  }

  Answer call(String method, String endpoint, String json) throws IOException {
    return call(method, endpoint, Map.of(), json);
  }

  /** A call with query parameters ({@code json} may be null). */
  Answer call(String method, String endpoint, Map<String, String> query, String json) throws IOException {
    Requests.JsonBodyBuilder b = Requests.builder().method(method).endpoint(endpoint);
    if (!query.isEmpty()) {
      b.query(query);
    }
    if (json != null) {
      b.json(json);
    }
    Request request = b.build();
    try (Response r = client.generic().execute(request)) {
      return new Answer(r.getStatus(), r.getBody().map(Body::bodyAsString).orElse(""));
    }
  }

  /**
   * Like {@link #call} but requires a 2xx: a retryable status throws {@link IOException} (retry), any other error
   * {@link IllegalStateException} (it will not get better).
   */
  Answer require(String method, String endpoint, String json) throws IOException {
    return require(method, endpoint, Map.of(), json);
  }

  /** {@link #require(String, String, String)} with query parameters. */
  Answer require(String method, String endpoint, Map<String, String> query, String json) throws IOException {
    Answer a = call(method, endpoint, query, json);
    if (a.ok()) {
      return a;
    }
    String message = a.describe(method + " " + endpoint);
    if (a.retryable()) {
      throw new IOException(message);
    }
    throw new IllegalStateException(message);
  }

  static String abbreviate(String s) {
    return s.length() <= 500 ? s : s.substring(0, 500) + "…";
  }
}
