package dev.vigil.proxy.impl;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import dev.vigil.masking.MaskTokens;

/**
 * The pieces of one body (an LLM request or reply) that could be a Secret value, cut the way Secret values are
 * fingerprinted ({@code SecretMasker}: the whole value, and each line of a multi-line one):
 * <ul>
 *   <li>the texts: every string value and field name of a JSON body, the last first (the newest message of a
 *       conversation is at its end); a body that is not JSON (e.g. cut short) is one text, with the JSON escapes
 *       {@code \n \r \t \" \\ \/} undone;</li>
 *   <li>the candidates of a text: the text; each line (a trailing {@code \r} dropped) and the line stripped of blanks;
 *       each token of a line split on whitespace and quotes, that token with its surrounding punctuation stripped, its
 *       part after the first {@code = : , ;}, and its pieces split on those;</li>
 *   <li>only candidates that can be a secret are kept: {@value #MIN_CHARS}–{@value #MAX_CHARS} characters, not only
 *       letters (a word, a name), a Shannon entropy of at least {@value #MIN_ENTROPY} bits per character (as the
 *       {@code generic-secret} detector), not a PEM armour line, not a {@code masked:} token.</li>
 * </ul>
 * Not thread-safe; one instance per body.
 */
final class SecretCandidates {

  static final int MIN_CHARS = 8;
  static final int MAX_CHARS = 64 * 1024;
  static final double MIN_ENTROPY = 3.0;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String QUOTES = "\"'`";
  private static final String SEPARATORS = "=:,;";
  private static final String PUNCTUATION = ".,;:!?()[]{}<>\"'`*";

  private final String text;
  private final boolean jsonLike;
  private final JsonNode tree;

  SecretCandidates(String text) {
    this.text = text;
    String t = text.stripLeading();
    this.jsonLike = t.startsWith("{") || t.startsWith("[");
    this.tree = jsonLike ? parse(text) : null;
  }

  private static JsonNode parse(String text) {
    try {
      return JSON.readTree(text);
    } catch (JsonProcessingException e) {
      return null; // cut short or not JSON: read as text
    }
  }

  /** The texts to look at, the last first. */
  List<String> texts() {
    if (tree == null) {
      return List.of(jsonLike ? unescape(text) : text);
    }
    List<String> out = new ArrayList<>();
    collect(tree, out);
    Collections.reverse(out);
    return out;
  }

  private static void collect(JsonNode node, List<String> out) {
    if (node.isTextual()) {
      out.add(node.asText());
    } else if (node.isObject()) {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        out.add(e.getKey());
        collect(e.getValue(), out);
      }
    } else if (node.isArray()) {
      node.forEach(n -> collect(n, out));
    }
  }

  /** Adds the candidates of {@code t} to {@code out} while it holds fewer than {@code max}; false once it is full. */
  static boolean add(String t, Set<String> out, int max) {
    if (!offer(t, out, max)) {
      return false;
    }
    for (String raw : t.split("\n", -1)) {
      String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
      if (!offer(line, out, max) || !offer(line.strip(), out, max)) {
        return false;
      }
      for (String token : split(line, null)) {
        if (!offer(token, out, max) || !offer(trim(token), out, max)) {
          return false;
        }
        int sep = firstOf(token, SEPARATORS);
        if (sep >= 0) {
          if (!offer(trim(token.substring(sep + 1)), out, max)) {
            return false;
          }
          for (String piece : split(token, SEPARATORS)) {
            if (!offer(trim(piece), out, max)) {
              return false;
            }
          }
        }
      }
    }
    return true;
  }

  private static boolean offer(String c, Set<String> out, int max) {
    if (out.contains(c) || !worthChecking(c)) {
      return true;
    }
    if (out.size() >= max) {
      return false;
    }
    out.add(c);
    return true;
  }

  static boolean worthChecking(String c) {
    int n = c.length();
    if (n < MIN_CHARS || n > MAX_CHARS || lettersOnly(c) || MaskTokens.isToken(c)) {
      return false;
    }
    if (c.startsWith("-----") && c.endsWith("-----") && (c.startsWith("-----BEGIN ") || c.startsWith("-----END "))) {
      return false;
    }
    return entropy(c) >= MIN_ENTROPY;
  }

  private static boolean lettersOnly(String c) {
    for (int i = 0; i < c.length(); i++) {
      if (!Character.isLetter(c.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** Shannon entropy in bits per character (as {@code Detectors.shannonEntropy}). */
  static double entropy(String s) {
    int[] ascii = new int[128];
    Map<Character, Integer> others = null;
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (ch < 128) {
        ascii[ch]++;
      } else {
        others = others == null ? new java.util.HashMap<>() : others;
        others.merge(ch, 1, Integer::sum);
      }
    }
    double h = 0;
    for (int c : ascii) {
      h -= c == 0 ? 0 : bits(c, s.length());
    }
    if (others != null) {
      for (int c : others.values()) {
        h -= bits(c, s.length());
      }
    }
    return h;
  }

  private static double bits(int count, int total) {
    double p = (double) count / total;
    return p * (Math.log(p) / Math.log(2));
  }

  /** Splits on whitespace and quotes, and on {@code extra} characters when given; empty pieces dropped. */
  private static List<String> split(String s, String extra) {
    List<String> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= s.length(); i++) {
      char ch = i < s.length() ? s.charAt(i) : ' ';
      if (Character.isWhitespace(ch) || QUOTES.indexOf(ch) >= 0 || (extra != null && extra.indexOf(ch) >= 0)) {
        if (i > start) {
          out.add(s.substring(start, i));
        }
        start = i + 1;
      }
    }
    return out;
  }

  private static int firstOf(String s, String chars) {
    for (int i = 0; i < s.length(); i++) {
      if (chars.indexOf(s.charAt(i)) >= 0) {
        return i;
      }
    }
    return -1;
  }

  /** Strips surrounding punctuation (sentence marks, brackets, quotes, markdown emphasis). */
  static String trim(String s) {
    int from = 0;
    int to = s.length();
    while (from < to && PUNCTUATION.indexOf(s.charAt(from)) >= 0) {
      from++;
    }
    while (to > from && PUNCTUATION.indexOf(s.charAt(to - 1)) >= 0) {
      to--;
    }
    return s.substring(from, to);
  }

  /**
   * The body with every value in {@code tokens} replaced by its token: in every string and field name of a JSON body
   * (written back as compact JSON), else in the text as it is and as JSON-escaped.
   */
  String mask(Map<String, String> tokens) {
    List<Map.Entry<String, String>> byLength = new ArrayList<>(tokens.entrySet());
    byLength.sort(Comparator.comparingInt((Map.Entry<String, String> e) -> e.getKey().length()).reversed());
    if (tree == null) {
      String out = text;
      for (Map.Entry<String, String> e : byLength) {
        out = out.replace(e.getKey(), e.getValue());
        String escaped = escape(e.getKey());
        if (!escaped.equals(e.getKey())) {
          out = out.replace(escaped, e.getValue());
        }
      }
      return out;
    }
    JsonNode copy = tree.deepCopy();
    try {
      return JSON.writeValueAsString(replace(copy, byLength));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree could not be written", e);
    }
  }

  private static JsonNode replace(JsonNode node, List<Map.Entry<String, String>> tokens) {
    if (node.isTextual()) {
      String s = replace(node.asText(), tokens);
      return s.equals(node.asText()) ? node : TextNode.valueOf(s);
    }
    if (node.isObject()) {
      ObjectNode obj = (ObjectNode) node;
      Map<String, JsonNode> fields = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> e : obj.properties()) {
        fields.put(replace(e.getKey(), tokens), replace(e.getValue(), tokens));
      }
      obj.removeAll();
      obj.setAll(fields);
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        ((ArrayNode) node).set(i, replace(node.get(i), tokens));
      }
    }
    return node;
  }

  private static String replace(String s, List<Map.Entry<String, String>> tokens) {
    String out = s;
    for (Map.Entry<String, String> e : tokens) {
      out = out.replace(e.getKey(), e.getValue());
    }
    return out;
  }

  /** A string as it appears inside a JSON string literal (without the quotes). */
  static String escape(String s) {
    String quoted = TextNode.valueOf(s).toString();
    return quoted.substring(1, quoted.length() - 1);
  }

  /** Undoes the JSON escapes {@code \n \r \t \" \\ \/} of a text that is not a whole JSON document. */
  static String unescape(String s) {
    if (s.indexOf('\\') < 0) {
      return s;
    }
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (ch == '\\' && i + 1 < s.length()) {
        char next = s.charAt(i + 1);
        int at = "nrt\"\\/".indexOf(next);
        if (at >= 0) {
          b.append("\n\r\t\"\\/".charAt(at));
          i++;
          continue;
        }
      }
      b.append(ch);
    }
    return b.toString();
  }
}
