package dev.vigil.kubesim.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Label and field selectors in the Kubernetes query-string syntax: {@code a=b}, {@code a==b},
 * {@code a!=b}, {@code a in (x,y)}, {@code a notin (x)}, {@code a} (exists), {@code !a}.
 */
public final class Selector {

  private enum Op { EQ, NEQ, IN, NOTIN, EXISTS, NOT_EXISTS }

  private record Requirement(String key, Op op, Set<String> values) {}

  private static final Selector EVERYTHING = new Selector(List.of(), false);

  private final List<Requirement> requirements;
  private final boolean field;

  private Selector(List<Requirement> requirements, boolean field) {
    this.requirements = requirements;
    this.field = field;
  }

  public static Selector everything() {
    return EVERYTHING;
  }

  public static Selector labels(String expr) {
    return parse(expr, false);
  }

  public static Selector fields(String expr) {
    return parse(expr, true);
  }

  public boolean isEmpty() {
    return requirements.isEmpty();
  }

  /** Matches an object: labels from metadata.labels, fields by dotted path. */
  public boolean matches(JsonNode obj) {
    if (requirements.isEmpty()) {
      return true;
    }
    Function<String, String> lookup = field
        ? key -> fieldValue(obj, key)
        : key -> Json.textAt(obj, "metadata", "labels", key);
    for (Requirement r : requirements) {
      String v = lookup.apply(r.key());
      boolean ok = switch (r.op()) {
        case EQ -> v != null ? r.values().contains(v) : field && r.values().contains("");
        case NEQ -> v == null ? !(field && r.values().contains("")) : !r.values().contains(v);
        case IN -> v != null && r.values().contains(v);
        case NOTIN -> v == null || !r.values().contains(v);
        case EXISTS -> v != null;
        case NOT_EXISTS -> v == null;
      };
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static String fieldValue(JsonNode obj, String path) {
    JsonNode cur = obj;
    for (String part : path.split("\\.")) {
      if (cur == null) {
        return null;
      }
      cur = cur.get(part);
    }
    return cur == null || cur.isNull() || cur.isContainerNode() ? null : cur.asText();
  }

  private static Selector parse(String expr, boolean field) {
    if (expr == null || expr.isBlank()) {
      return new Selector(List.of(), field);
    }
    List<Requirement> reqs = new ArrayList<>();
    for (String term : splitTerms(expr)) {
      String t = term.trim();
      if (t.isEmpty()) {
        continue;
      }
      reqs.add(parseTerm(t, expr));
    }
    return new Selector(List.copyOf(reqs), field);
  }

  private static Requirement parseTerm(String t, String expr) {
    int neq = t.indexOf("!=");
    if (neq > 0) {
      return new Requirement(t.substring(0, neq).trim(), Op.NEQ, Set.of(t.substring(neq + 2).trim()));
    }
    int eq = t.indexOf('=');
    if (eq > 0) {
      String value = t.substring(eq + (t.startsWith("==", eq) ? 2 : 1)).trim();
      return new Requirement(t.substring(0, eq).trim(), Op.EQ, Set.of(value));
    }
    String[] words = t.split("\\s+", 2);
    if (words.length == 2) {
      String rest = words[1].trim();
      Op op;
      if (rest.startsWith("notin")) {
        op = Op.NOTIN;
        rest = rest.substring(5).trim();
      } else if (rest.startsWith("in")) {
        op = Op.IN;
        rest = rest.substring(2).trim();
      } else {
        throw StatusException.badRequest("unable to parse requirement: " + t + " in selector " + expr);
      }
      if (!rest.startsWith("(") || !rest.endsWith(")")) {
        throw StatusException.badRequest("unable to parse requirement: expected (values) in " + t);
      }
      Set<String> values = new java.util.HashSet<>();
      for (String v : rest.substring(1, rest.length() - 1).split(",")) {
        if (!v.isBlank()) {
          values.add(v.trim());
        }
      }
      return new Requirement(words[0], op, Set.copyOf(values));
    }
    if (t.startsWith("!")) {
      return new Requirement(t.substring(1).trim(), Op.NOT_EXISTS, Set.of());
    }
    return new Requirement(t, Op.EXISTS, Set.of());
  }

  /** Splits on commas that are not inside parentheses. */
  private static List<String> splitTerms(String expr) {
    List<String> out = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < expr.length(); i++) {
      char c = expr.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      } else if (c == ',' && depth == 0) {
        out.add(expr.substring(start, i));
        start = i + 1;
      }
    }
    out.add(expr.substring(start));
    return out;
  }
}
