package dev.vigil.proxy.policy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads the values of a policy document, collecting every error as {@code place: problem} instead of stopping at the
 * first: a reader that finds a problem records it and returns null.
 */
final class PolicyFields {

  private final List<String> errors = new ArrayList<>();

  List<String> errors() {
    return errors;
  }

  void error(String message) {
    errors.add(message);
  }

  void unknownFields(JsonNode obj, Set<String> known, String prefix) {
    for (Map.Entry<String, JsonNode> e : obj.properties()) {
      if (!known.contains(e.getKey())) {
        errors.add(prefix + e.getKey() + ": unknown field");
      }
    }
  }

  PolicyEffect effect(JsonNode v, String where) {
    String s = enumText(v, where, "allow", "deny");
    return s == null ? null : PolicyEffect.valueOf(s.toUpperCase(Locale.ROOT));
  }

  RecordMode record(JsonNode v, String where) {
    if (v != null && v.isBoolean() && !v.booleanValue()) {
      return RecordMode.OFF; // YAML 1.1 reads an unquoted off as false
    }
    String s = enumText(v, where, "full", "metadata", "off");
    return s == null ? null : RecordMode.valueOf(s.toUpperCase(Locale.ROOT));
  }

  /** True for strict, false for best-effort. */
  Boolean recording(JsonNode v, String where) {
    String s = enumText(v, where, "strict", "best-effort");
    return s == null ? null : "strict".equals(s);
  }

  private String enumText(JsonNode v, String where, String... allowed) {
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isTextual()) {
      for (String a : allowed) {
        if (a.equals(v.asText())) {
          return a;
        }
      }
    }
    errors.add(where + ": must be one of " + String.join(", ", allowed) + " (got " + v + ")");
    return null;
  }

  Boolean bool(JsonNode v, String where) {
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isBoolean()) {
      errors.add(where + ": must be true or false (got " + v + ")");
      return null;
    }
    return v.booleanValue();
  }

  /** A non-empty list of strings; {@code ""} only where it means "none" (core group, no namespace/subresource). */
  Set<String> strings(JsonNode v, String where, boolean emptyAllowed) {
    if (v == null) {
      return null;
    }
    if (!v.isArray()) {
      errors.add(where + ": must be a list of strings (got " + v + ")");
      return null;
    }
    if (v.isEmpty()) {
      errors.add(where + ": must not be empty (omit it to match everything, or use [\"*\"])");
      return null;
    }
    Set<String> out = new LinkedHashSet<>();
    for (JsonNode e : v) {
      if (!e.isTextual()) {
        errors.add(where + ": must be a list of strings (got " + e + ")");
        return null;
      }
      if (e.asText().isEmpty() && !emptyAllowed) {
        errors.add(where + ": must not contain an empty string");
        return null;
      }
      out.add(e.asText());
    }
    return Set.copyOf(out);
  }

  /**
   * A list of exact values or prefixes ({@code *} only at the end), each starting with {@code start} unless it is
   * {@code "*"}; null (with an error) otherwise.
   */
  List<String> patterns(JsonNode v, String where, String start) {
    Set<String> set = strings(v, where, false);
    if (set == null) {
      return null;
    }
    List<String> out = List.copyOf(set);
    for (String p : out) {
      if (!(Rule.WILDCARD.equals(p) || p.startsWith(start)) || p.indexOf('*') >= 0 && p.indexOf('*') != p.length() - 1) {
        errors.add(where + ": \"" + p + "\" " + (start.isEmpty() ? "may have * only at its end"
            : "must start with " + start + " and may end with * only"));
      }
    }
    return out;
  }

  Map<String, String> labels(JsonNode v, String where) {
    if (v == null) {
      return null;
    }
    if (!v.isObject() || v.isEmpty()) {
      errors.add(where + ": must be a non-empty mapping of label key to value (or \"*\" for any value)");
      return null;
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : v.properties()) {
      if (!e.getValue().isValueNode() || e.getValue().isNull()) {
        errors.add(where + "." + e.getKey() + ": must be a string");
        return null;
      }
      out.put(e.getKey(), e.getValue().asText());
    }
    return Map.copyOf(out);
  }
}
