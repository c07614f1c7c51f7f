package dev.vigil.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The object content a Kubernetes write request sets, from its body's JSON tree. An object (a full object, a merge or
 * strategic-merge patch, an apply configuration) is its own content: a patch sets what it contains at the same paths.
 * A JSON patch (RFC 6902, an array of operations) is materialised: the {@code value} of every {@code add}/{@code
 * replace} is placed at its {@code path} (a JSON pointer, {@code ~1}/{@code ~0} unescaped) in a sparse object, array
 * indexes (and {@code -}) becoming elements appended to arrays, whatever an earlier operation left in the way being
 * replaced; {@code remove}/{@code test} set nothing. A {@code copy} or {@code move} sets content the body does not
 * show, so such a patch is unknown, as is an unknown operation, one without a textual path or a value, a path that is
 * not a pointer, a whole-document ({@code ""}) value that is not an object, and a body neither object nor array.
 *
 * <p>Used by the gateway's guardrails (on the real body) and the detectors (on the recorded, masked body) so that both
 * see the same content. The result is for inspection ({@link KubeTrees}, {@link PodSecurity}), not for applying: an
 * object body is returned as is, not copied.
 */
public final class WriteContent {

  private WriteContent() {}

  /** The content {@code body} sets, or null when it cannot be known (including a null body). */
  public static JsonNode of(JsonNode body) {
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
      switch (op.path("op").asText("")) {
        case "add", "replace" -> {
          JsonNode path = op.get("path");
          if (path == null || !path.isTextual() || !op.has("value") || !place(root, path.asText(), op.get("value"))) {
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
    String[] tokens = pointer.substring(1).split("/", -1);
    JsonNode current = root;
    for (int i = 0; i < tokens.length; i++) {
      String token = tokens[i].replace("~1", "/").replace("~0", "~");
      boolean last = i == tokens.length - 1;
      boolean nextIsIndex = !last && isIndex(tokens[i + 1]);
      JsonNode child = last ? value
          : nextIsIndex ? JsonNodeFactory.instance.arrayNode() : JsonNodeFactory.instance.objectNode();
      if (current instanceof ObjectNode obj) {
        JsonNode existing = obj.get(token);
        if (!last && existing != null && (existing.isObject() || existing.isArray())
            && existing.isArray() == nextIsIndex) {
          child = existing;
        } else {
          obj.set(token, child);
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

  /** An array index or {@code -}; escaping cannot make or unmake one, so the raw token is tested. */
  private static boolean isIndex(String token) {
    return "-".equals(token) || (!token.isEmpty() && token.chars().allMatch(Character::isDigit));
  }
}
