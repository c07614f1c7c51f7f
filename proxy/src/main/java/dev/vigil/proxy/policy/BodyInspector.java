package dev.vigil.proxy.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Turns a request body into the object content it sets. An object (a full object, a merge or strategic-merge patch,
 * an apply configuration) is its own content: a patch sets what it contains at the same paths. A JSON patch (an array
 * of operations) is materialised: the value of every {@code add}/{@code replace} is placed at its path in a sparse
 * object, array indexes (and {@code -}) becoming elements of arrays. A {@code copy} or {@code move} sets content the
 * gateway cannot see, so such a patch is uninspectable, as is anything that is neither an object nor an array.
 */
final class BodyInspector {

  private BodyInspector() {}

  /** The content the body sets, or null when it cannot be known. */
  static JsonNode content(JsonNode body) {
    if (body == null) {
      return null;
    }
    if (body.isObject()) {
      return body;
    }
    if (!body.isArray()) {
      return null;
    }
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    for (JsonNode op : body) {
      String kind = op.path("op").asText("");
      switch (kind) {
        case "add", "replace" -> {
          JsonNode path = op.get("path");
          if (path == null || !path.isTextual() || !op.has("value")) {
            return null;
          }
          if (!place(root, path.asText(), op.get("value"))) {
            return null;
          }
        }
        case "remove", "test" -> { }
        default -> {
          return null;
        }
      }
    }
    return root;
  }

  private static boolean place(ObjectNode root, String pointer, JsonNode value) {
    if (pointer.isEmpty()) {
      if (!value.isObject()) {
        return false;
      }
      root.setAll((ObjectNode) value.deepCopy());
      return true;
    }
    if (pointer.charAt(0) != '/') {
      return false;
    }
    List<String> tokens = new ArrayList<>();
    for (String t : pointer.substring(1).split("/", -1)) {
      tokens.add(t.replace("~1", "/").replace("~0", "~"));
    }
    JsonNode current = root;
    for (int i = 0; i < tokens.size(); i++) {
      boolean last = i == tokens.size() - 1;
      boolean nextIsIndex = !last && isIndex(tokens.get(i + 1));
      JsonNode child = last ? value : (nextIsIndex ? JsonNodeFactory.instance.arrayNode()
          : JsonNodeFactory.instance.objectNode());
      if (current instanceof ObjectNode obj) {
        JsonNode existing = obj.get(tokens.get(i));
        if (!last && existing != null && (existing.isObject() || existing.isArray())
            && existing.isArray() == nextIsIndex) {
          child = existing;
        } else {
          obj.set(tokens.get(i), child);
        }
      } else if (current instanceof ArrayNode arr) {
        arr.add(child);
      } else {
        return false;
      }
      current = child;
    }
    return true;
  }

  private static boolean isIndex(String token) {
    return "-".equals(token) || (!token.isEmpty() && token.chars().allMatch(Character::isDigit));
  }

  /** Whether any object in the tree (outside {@code metadata}) has {@code key} set to boolean true. */
  static boolean anyTrue(JsonNode node, String key) {
    return find(node, (k, v) -> k.equals(key) && v.isBoolean() && v.booleanValue());
  }

  /** Whether any object in the tree (outside {@code metadata}) has {@code key} set to a non-null value. */
  static boolean anySet(JsonNode node, String key) {
    return find(node, (k, v) -> k.equals(key) && !v.isNull() && !v.isMissingNode());
  }

  interface FieldTest {
    boolean test(String key, JsonNode value);
  }

  static boolean find(JsonNode node, FieldTest test) {
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
}
