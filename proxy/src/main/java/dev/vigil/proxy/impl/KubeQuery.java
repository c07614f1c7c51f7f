package dev.vigil.proxy.impl;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A query string read the way kube-apiserver (Go's {@code url.ParseQuery}) reads it: pairs split on {@code &}; a
 * pair containing {@code ;} or a malformed escape is dropped; {@code +} is a space; a parameter's <em>first</em>
 * value counts. {@link #canonical()} is the query made of exactly the pairs that were understood, in their original
 * spelling: what the gateway forwards, so the upstream reads what policy read.
 */
final class KubeQuery {

  static final KubeQuery EMPTY = new KubeQuery(Map.of(), null);

  private final Map<String, List<String>> values;
  private final String canonical;

  private KubeQuery(Map<String, List<String>> values, String canonical) {
    this.values = values;
    this.canonical = canonical;
  }

  static KubeQuery parse(String rawQuery) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return EMPTY;
    }
    Map<String, List<String>> values = new LinkedHashMap<>();
    StringBuilder canonical = new StringBuilder(rawQuery.length());
    for (String pair : rawQuery.split("&", -1)) {
      if (pair.isEmpty() || pair.indexOf(';') >= 0) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = unescape(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : unescape(pair.substring(eq + 1));
      if (key == null || value == null) {
        continue;
      }
      values.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
      if (canonical.length() > 0) {
        canonical.append('&');
      }
      canonical.append(pair);
    }
    return new KubeQuery(values, canonical.length() == 0 ? null : canonical.toString());
  }

  /** The understood pairs, as sent, joined with {@code &}; null when none. */
  String canonical() {
    return canonical;
  }

  /** The first value of {@code name}, or null when absent. */
  String first(String name) {
    List<String> v = values.get(name);
    return v == null ? null : v.get(0);
  }

  /**
   * Kubernetes' boolean parameter conversion: absent is false; otherwise the first value decides, and only
   * {@code 0} and {@code false} (any case) are false — an empty value ({@code ?watch} or {@code ?watch=}) is true.
   */
  boolean flag(String name) {
    String v = first(name);
    return v != null && !"0".equals(v) && !"false".equals(v.toLowerCase(Locale.ROOT));
  }

  /** True when {@code name} is present and its first value is not a base-10 integer (Go's {@code ParseInt}). */
  boolean badInteger(String name) {
    String v = first(name);
    if (v == null) {
      return false;
    }
    try {
      Long.parseLong(v);
      return false;
    } catch (NumberFormatException e) {
      return true;
    }
  }

  /** Go's {@code url.QueryUnescape}: {@code +} is a space, {@code %XX} must be valid; null when malformed. */
  static String unescape(String s) {
    if (s.indexOf('%') < 0 && s.indexOf('+') < 0) {
      return s;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%') {
        if (i + 2 >= s.length()) {
          return null;
        }
        int hi = Character.digit(s.charAt(i + 1), 16);
        int lo = Character.digit(s.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          return null;
        }
        out.write(hi * 16 + lo);
        i += 2;
      } else if (c == '+') {
        out.write(' ');
      } else {
        byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
