package dev.vigil.query.impl;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The validated parameters of {@code GET /api/v1/events}. Unknown parameters, repeated parameters, over-long values and a
 * size outside 1..{@value #MAX_SIZE} are rejected (400); empty values count as absent.
 */
public record EventQuery(String q, String identity, String namespace, String verb, String resource, String sessionKey,
    int size) {

  public static final int DEFAULT_SIZE = 50;
  public static final int MAX_SIZE = 500;
  static final int MAX_Q_CHARS = 1000;
  static final int MAX_VALUE_CHARS = 1024;
  static final Set<String> PARAMETERS = Set.of("q", "identity", "namespace", "verb", "resource", "sessionKey", "size");

  /** Parses query parameters (name → values as received); throws a 400 {@link ApiException} when invalid. */
  public static EventQuery parse(Map<String, List<String>> params) {
    for (Map.Entry<String, List<String>> e : params.entrySet()) {
      if (!PARAMETERS.contains(e.getKey())) {
        throw ApiException.badRequest("Unknown query parameter '" + e.getKey() + "'; allowed: q, identity, namespace, verb, resource, sessionKey, size");
      }
      if (e.getValue().size() > 1) {
        throw ApiException.badRequest("Query parameter '" + e.getKey() + "' given more than once");
      }
    }
    String q = value(params, "q", MAX_Q_CHARS);
    return new EventQuery(q,
        value(params, "identity", MAX_VALUE_CHARS),
        value(params, "namespace", MAX_VALUE_CHARS),
        value(params, "verb", MAX_VALUE_CHARS),
        value(params, "resource", MAX_VALUE_CHARS),
        value(params, "sessionKey", MAX_VALUE_CHARS),
        size(value(params, "size", 16), DEFAULT_SIZE, MAX_SIZE));
  }

  /** Parses a {@code size} parameter value (null = default). */
  static int size(String raw, int defaultSize, int max) {
    if (raw == null) {
      return defaultSize;
    }
    int size;
    try {
      size = Integer.parseInt(raw);
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("Query parameter 'size' must be an integer between 1 and " + max);
    }
    if (size < 1 || size > max) {
      throw ApiException.badRequest("Query parameter 'size' must be between 1 and " + max + ", was " + size);
    }
    return size;
  }

  static String value(Map<String, List<String>> params, String name, int maxChars) {
    List<String> values = params.get(name);
    if (values == null || values.isEmpty()) {
      return null;
    }
    String v = values.get(0).strip();
    if (v.isEmpty()) {
      return null;
    }
    if (v.length() > maxChars) {
      throw ApiException.badRequest("Query parameter '" + name + "' is longer than " + maxChars + " characters");
    }
    return v;
  }

  /** The filters actually given, for the audit log. */
  public Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    if (q != null) m.put("q", q);
    if (identity != null) m.put("identity", identity);
    if (namespace != null) m.put("namespace", namespace);
    if (verb != null) m.put("verb", verb);
    if (resource != null) m.put("resource", resource);
    if (sessionKey != null) m.put("sessionKey", sessionKey);
    m.put("size", size);
    return m;
  }
}
