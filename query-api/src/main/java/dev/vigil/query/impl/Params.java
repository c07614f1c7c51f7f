package dev.vigil.query.impl;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Validated query parameters: unknown or repeated parameters and bad values are a 400 whose message names the
 * parameter; empty values count as absent. {@link #given()} is what the audit log records.
 */
final class Params {

  static final int MAX_VALUE_CHARS = 1024;
  static final int MAX_Q_CHARS = 1000;

  private final Map<String, List<String>> raw;
  private final Map<String, Object> given = new LinkedHashMap<>();

  private Params(Map<String, List<String>> raw) {
    this.raw = raw;
  }

  /** Checks that every parameter is one of {@code allowed} and given once. */
  static Params of(Map<String, List<String>> params, Set<String> allowed) {
    for (Map.Entry<String, List<String>> e : params.entrySet()) {
      if (!allowed.contains(e.getKey())) {
        throw ApiException.badRequest("Unknown query parameter '" + e.getKey() + "'; allowed: "
            + String.join(", ", new TreeSet<>(allowed)));
      }
      if (e.getValue().size() > 1) {
        throw ApiException.badRequest("Query parameter '" + e.getKey() + "' given more than once");
      }
    }
    return new Params(params);
  }

  /** The parameters given (after validation), for the audit log. */
  Map<String, Object> given() {
    return given;
  }

  /** Records a value that is not a query parameter (e.g. a path parameter) for the audit log. */
  Params note(String name, Object value) {
    given.put(name, value);
    return this;
  }

  String string(String name) {
    return string(name, MAX_VALUE_CHARS);
  }

  String string(String name, int maxChars) {
    List<String> values = raw.get(name);
    if (values == null || values.isEmpty() || values.get(0).isBlank()) {
      return null;
    }
    String v = values.get(0).strip();
    if (v.length() > maxChars) {
      throw ApiException.badRequest("Query parameter '" + name + "' is longer than " + maxChars + " characters");
    }
    given.put(name, v);
    return v;
  }

  int size(int defaultSize, int max) {
    String v = string("size", 16);
    if (v == null) {
      return defaultSize;
    }
    long n = integer("size", v);
    if (n < 1 || n > max) {
      throw ApiException.badRequest("Query parameter 'size' must be between 1 and " + max + ", was " + v);
    }
    given.put("size", (int) n);
    return (int) n;
  }

  Long longValue(String name, long min) {
    String v = string(name, 24);
    if (v == null) {
      return null;
    }
    long n = integer(name, v);
    if (n < min) {
      throw ApiException.badRequest("Query parameter '" + name + "' must be at least " + min + ", was " + v);
    }
    given.put(name, n);
    return n;
  }

  Boolean bool(String name) {
    String v = string(name, 8);
    if (v == null) {
      return null;
    }
    return switch (v.toLowerCase(Locale.ROOT)) {
      case "true" -> putAndGet(name, Boolean.TRUE);
      case "false" -> putAndGet(name, Boolean.FALSE);
      default -> throw ApiException.badRequest("Query parameter '" + name + "' must be true or false, was '" + v + "'");
    };
  }

  /** One of {@code choices}, compared case-insensitively, returned as spelt in {@code choices}. */
  String choice(String name, List<String> choices) {
    String v = string(name, 64);
    if (v == null) {
      return null;
    }
    for (String c : choices) {
      if (c.equalsIgnoreCase(v)) {
        given.put(name, c);
        return c;
      }
    }
    throw ApiException.badRequest("Query parameter '" + name + "' must be one of " + String.join(", ", choices)
        + ", was '" + v + "'");
  }

  /** An instant: ISO-8601 with a zone or offset ({@code 2025-05-05T10:00:00Z}) or epoch milliseconds. */
  Long epochMillis(String name) {
    String v = string(name, 40);
    if (v == null) {
      return null;
    }
    long millis;
    if (v.chars().allMatch(Character::isDigit)) {
      millis = integer(name, v);
    } else {
      try {
        millis = OffsetDateTime.parse(v).toInstant().toEpochMilli();
      } catch (DateTimeParseException e) {
        throw ApiException.badRequest("Query parameter '" + name + "' must be an ISO-8601 time with a zone such as "
            + "2025-05-05T10:00:00Z, or epoch milliseconds, was '" + v + "'");
      }
    }
    given.put(name, Instant.ofEpochMilli(millis).toString());
    return millis;
  }

  /** Checks {@code from <= to} when both are given. */
  static void checkRange(Long from, Long to) {
    if (from != null && to != null && from > to) {
      throw ApiException.badRequest("Query parameter 'from' must not be after 'to'");
    }
  }

  private static long integer(String name, String v) {
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("Query parameter '" + name + "' must be an integer, was '" + v + "'");
    }
  }

  private <T> T putAndGet(String name, T value) {
    given.put(name, value);
    return value;
  }
}
