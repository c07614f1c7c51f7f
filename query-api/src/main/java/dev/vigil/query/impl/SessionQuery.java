package dev.vigil.query.impl;

import java.util.List;
import java.util.Map;

/** The validated parameters of {@code GET /api/v1/sessions/{sessionKey}/events}: only {@code size} (1..10000). */
public record SessionQuery(String sessionKey, int size) {

  public static final int DEFAULT_SIZE = 1000;
  /** OpenSearch's default {@code index.max_result_window}. */
  public static final int MAX_SIZE = 10_000;

  public static SessionQuery parse(String sessionKey, Map<String, List<String>> params) {
    for (Map.Entry<String, List<String>> e : params.entrySet()) {
      if (!e.getKey().equals("size")) {
        throw ApiException.badRequest("Unknown query parameter '" + e.getKey() + "'; allowed: size");
      }
      if (e.getValue().size() > 1) {
        throw ApiException.badRequest("Query parameter 'size' given more than once");
      }
    }
    if (sessionKey == null || sessionKey.isBlank()) {
      throw ApiException.badRequest("Session key must not be empty");
    }
    if (sessionKey.length() > EventQuery.MAX_VALUE_CHARS) {
      throw ApiException.badRequest("Session key is longer than " + EventQuery.MAX_VALUE_CHARS + " characters");
    }
    return new SessionQuery(sessionKey, EventQuery.size(EventQuery.value(params, "size", 16), DEFAULT_SIZE, MAX_SIZE));
  }
}
