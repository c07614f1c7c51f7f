package dev.vigil.codec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Searches in a Kubernetes object's JSON tree (a request body, a materialised patch: see {@link WriteContent}) that
 * look at what the object specifies, not how it is labelled: every {@code metadata} field, at any depth, is skipped, so
 * a label or annotation named {@code privileged} or {@code hostNetwork} never counts. Null-safe; never throws.
 */
public final class KubeTrees {

  private KubeTrees() {}

  /**
   * Whether any field of any object in the tree satisfies {@code test} (key, value), depth first, skipping
   * {@code metadata} fields and everything below them. Array elements are searched; a null tree or a scalar has no
   * fields.
   */
  public static boolean find(JsonNode node, BiPredicate<String, JsonNode> test) {
    if (node == null) {
      return false;
    }
    if (node.isArray()) {
      for (JsonNode e : node) {
        if (find(e, test)) {
          return true;
        }
      }
      return false;
    }
    if (!node.isObject()) {
      return false;
    }
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      if ("metadata".equals(e.getKey())) {
        continue;
      }
      if (test.test(e.getKey(), e.getValue()) || find(e.getValue(), test)) {
        return true;
      }
    }
    return false;
  }

  /** Whether any object in the tree (outside {@code metadata}) has {@code key} set to boolean true. */
  public static boolean anyTrue(JsonNode node, String key) {
    return find(node, (k, v) -> k.equals(key) && v.isBoolean() && v.booleanValue());
  }

  /** Whether any object in the tree (outside {@code metadata}) has {@code key} set to a non-null value. */
  public static boolean anySet(JsonNode node, String key) {
    return find(node, (k, v) -> k.equals(key) && !v.isNull() && !v.isMissingNode());
  }

  /**
   * The string elements of an array (others skipped), or a lone string as one element, e.g. an RBAC rule's
   * {@code verbs}; empty for null or anything else. A new, modifiable list.
   */
  public static List<String> strings(JsonNode node) {
    List<String> out = new ArrayList<>();
    if (node == null) {
      return out;
    }
    if (node.isTextual()) {
      out.add(node.asText());
    } else if (node.isArray()) {
      node.forEach(e -> {
        if (e.isTextual()) {
          out.add(e.asText());
        }
      });
    }
    return out;
  }
}
