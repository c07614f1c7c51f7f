package dev.vigil.kubesim.impl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.kubesim.store.Json;
import dev.vigil.kubesim.store.StatusException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** JSON merge patch (RFC 7386) and JSON patch (RFC 6902). Strategic merge is in {@link StrategicMerge}. */
final class Patches {

  static final String MERGE = "application/merge-patch+json";
  static final String JSON_PATCH = "application/json-patch+json";
  static final String STRATEGIC = "application/strategic-merge-patch+json";
  static final String APPLY = "application/apply-patch+yaml";

  private Patches() {}

  /** RFC 7386: objects merge recursively, null removes, anything else replaces. */
  static JsonNode mergePatch(JsonNode target, JsonNode patch) {
    if (!(patch instanceof ObjectNode p)) {
      return patch.deepCopy();
    }
    ObjectNode result = target instanceof ObjectNode t ? t.deepCopy() : Json.object();
    for (Iterator<Map.Entry<String, JsonNode>> it = p.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getValue().isNull()) {
        result.remove(e.getKey());
      } else {
        result.set(e.getKey(), mergePatch(result.get(e.getKey()), e.getValue()));
      }
    }
    return result;
  }

  /** RFC 6902 operations: add, remove, replace, move, copy, test. */
  static JsonNode jsonPatch(JsonNode target, JsonNode ops) {
    if (!(ops instanceof ArrayNode list)) {
      throw StatusException.badRequest("json patch must be a JSON array of operations");
    }
    JsonNode doc = target.deepCopy();
    for (JsonNode op : list) {
      String kind = Json.text(op, "op");
      String path = Json.text(op, "path");
      if (kind == null || path == null) {
        throw StatusException.badRequest("json patch operation needs 'op' and 'path': " + op);
      }
      doc = switch (kind) {
        case "add" -> add(doc, path, value(op));
        case "remove" -> { remove(doc, path); yield doc; }
        case "replace" -> { get(doc, path); remove(doc, path); yield add(doc, path, value(op)); }
        case "move" -> {
          JsonNode v = get(doc, from(op));
          remove(doc, from(op));
          yield add(doc, path, v);
        }
        case "copy" -> add(doc, path, get(doc, from(op)).deepCopy());
        case "test" -> {
          if (!get(doc, path).equals(value(op))) {
            throw new StatusException(422, "Invalid", "json patch test operation failed at " + path);
          }
          yield doc;
        }
        default -> throw StatusException.badRequest("unknown json patch operation " + kind);
      };
    }
    return doc;
  }

  private static JsonNode value(JsonNode op) {
    if (!op.has("value")) {
      throw StatusException.badRequest("json patch operation needs 'value': " + op);
    }
    return op.get("value").deepCopy();
  }

  private static String from(JsonNode op) {
    String from = Json.text(op, "from");
    if (from == null) {
      throw StatusException.badRequest("json patch operation needs 'from': " + op);
    }
    return from;
  }

  private static List<String> tokens(String pointer) {
    if (pointer.isEmpty()) {
      return List.of();
    }
    if (!pointer.startsWith("/")) {
      throw StatusException.badRequest("invalid json pointer " + pointer);
    }
    List<String> out = new ArrayList<>();
    for (String t : pointer.substring(1).split("/", -1)) {
      out.add(t.replace("~1", "/").replace("~0", "~"));
    }
    return out;
  }

  private static JsonNode get(JsonNode doc, String pointer) {
    JsonNode cur = doc;
    for (String t : tokens(pointer)) {
      cur = cur instanceof ArrayNode a ? a.get(index(t, a.size() - 1)) : cur == null ? null : cur.get(t);
      if (cur == null) {
        throw new StatusException(422, "Invalid", "json patch: path " + pointer + " does not exist");
      }
    }
    return cur;
  }

  private static JsonNode add(JsonNode doc, String pointer, JsonNode value) {
    List<String> t = tokens(pointer);
    if (t.isEmpty()) {
      return value;
    }
    JsonNode parent = get(doc, parentOf(pointer));
    String last = t.get(t.size() - 1);
    if (parent instanceof ArrayNode a) {
      a.insert(last.equals("-") ? a.size() : index(last, a.size()), value);
    } else if (parent instanceof ObjectNode o) {
      o.set(last, value);
    } else {
      throw new StatusException(422, "Invalid", "json patch: parent of " + pointer + " is not a container");
    }
    return doc;
  }

  private static void remove(JsonNode doc, String pointer) {
    List<String> t = tokens(pointer);
    if (t.isEmpty()) {
      throw StatusException.badRequest("json patch: cannot remove the root");
    }
    JsonNode parent = get(doc, parentOf(pointer));
    String last = t.get(t.size() - 1);
    if (parent instanceof ArrayNode a) {
      a.remove(index(last, a.size() - 1));
    } else if (parent instanceof ObjectNode o && o.has(last)) {
      o.remove(last);
    } else {
      throw new StatusException(422, "Invalid", "json patch: path " + pointer + " does not exist");
    }
  }

  private static String parentOf(String pointer) {
    return pointer.substring(0, pointer.lastIndexOf('/'));
  }

  private static int index(String token, int max) {
    try {
      int i = Integer.parseInt(token);
      if (i < 0 || i > max) {
        throw new StatusException(422, "Invalid", "json patch: index " + token + " out of range");
      }
      return i;
    } catch (NumberFormatException e) {
      throw new StatusException(422, "Invalid", "json patch: invalid array index " + token);
    }
  }
}
