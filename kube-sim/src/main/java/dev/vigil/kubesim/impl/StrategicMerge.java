package dev.vigil.kubesim.impl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.kubesim.store.Json;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Strategic merge patch, approximated without OpenAPI: maps merge like a merge patch; lists whose
 * field has a known merge key in the built-in types (containers by name, ports by containerPort
 * or port, volumeMounts by mountPath, ...) merge element-wise; other lists are replaced.
 * Directives {@code $patch}, {@code $retainKeys}, {@code $setElementOrder/} and
 * {@code $deleteFromPrimitiveList/} are honoured.
 */
final class StrategicMerge {

  private static final Map<String, String> MERGE_KEYS = Map.ofEntries(
      Map.entry("containers", "name"), Map.entry("initContainers", "name"),
      Map.entry("ephemeralContainers", "name"), Map.entry("env", "name"), Map.entry("volumes", "name"),
      Map.entry("imagePullSecrets", "name"), Map.entry("volumeMounts", "mountPath"),
      Map.entry("volumeDevices", "devicePath"), Map.entry("conditions", "type"),
      Map.entry("ownerReferences", "uid"), Map.entry("hostAliases", "ip"),
      Map.entry("topologySpreadConstraints", "topologyKey"), Map.entry("resourceClaims", "name"));
  private static final Set<String> MERGED_PRIMITIVE_LISTS = Set.of("finalizers");

  private StrategicMerge() {}

  static JsonNode apply(JsonNode original, JsonNode patch) {
    if (!(patch instanceof ObjectNode p)) {
      return patch.deepCopy();
    }
    return mergeMap(original instanceof ObjectNode o ? o : Json.object(), p);
  }

  private static ObjectNode mergeMap(ObjectNode original, ObjectNode patch) {
    String directive = Json.text(patch, "$patch");
    if ("delete".equals(directive)) {
      return null;
    }
    ObjectNode result = "replace".equals(directive) ? Json.object() : original.deepCopy();
    for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = e.getKey();
      JsonNode value = e.getValue();
      if (key.equals("$patch") || key.equals("$retainKeys") || key.startsWith("$setElementOrder/")) {
        continue;
      }
      if (key.startsWith("$deleteFromPrimitiveList/")) {
        String field = key.substring("$deleteFromPrimitiveList/".length());
        if (result.get(field) instanceof ArrayNode list) {
          Set<JsonNode> drop = new HashSet<>();
          value.forEach(drop::add);
          ArrayNode kept = JsonNodeFactory.instance.arrayNode();
          list.forEach(v -> { if (!drop.contains(v)) { kept.add(v); } });
          result.set(field, kept);
        }
        continue;
      }
      if (value.isNull()) {
        result.remove(key);
      } else if (value instanceof ObjectNode vp) {
        ObjectNode merged = mergeMap(result.get(key) instanceof ObjectNode o ? o : Json.object(), vp);
        if (merged == null) {
          result.remove(key);
        } else {
          result.set(key, merged);
        }
      } else if (value instanceof ArrayNode va) {
        result.set(key, mergeList(key, result.get(key) instanceof ArrayNode a ? a : null, va));
      } else {
        result.set(key, value.deepCopy());
      }
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().startsWith("$setElementOrder/") && result.get(e.getKey().substring(17)) instanceof ArrayNode l) {
        String field = e.getKey().substring(17);
        result.set(field, reorder(l, e.getValue(), mergeKey(field, l, l)));
      }
    }
    if (patch.get("$retainKeys") instanceof ArrayNode retain) {
      Set<String> keep = new HashSet<>();
      retain.forEach(k -> keep.add(k.asText()));
      result.retain(keep);
    }
    return result;
  }

  private static ArrayNode mergeList(String field, ArrayNode original, ArrayNode patch) {
    List<JsonNode> elements = new ArrayList<>();
    boolean replace = false;
    for (JsonNode p : patch) {
      if (p instanceof ObjectNode o && "replace".equals(Json.text(o, "$patch")) && o.size() == 1) {
        replace = true;
      } else {
        elements.add(p);
      }
    }
    String mergeKey = mergeKey(field, original, patch);
    if (original == null || replace) {
      ArrayNode out = JsonNodeFactory.instance.arrayNode();
      elements.stream().filter(e -> !(e instanceof ObjectNode o && o.has("$patch"))).forEach(e -> out.add(e.deepCopy()));
      return out;
    }
    if (MERGED_PRIMITIVE_LISTS.contains(field)) {
      ArrayNode out = original.deepCopy();
      elements.forEach(e -> { if (!contains(out, e)) { out.add(e.deepCopy()); } });
      return out;
    }
    if (mergeKey == null) {
      ArrayNode out = JsonNodeFactory.instance.arrayNode();
      elements.forEach(e -> out.add(e.deepCopy()));
      return out;
    }
    List<JsonNode> result = new ArrayList<>();
    original.forEach(result::add);
    for (JsonNode p : elements) {
      if (!(p instanceof ObjectNode po)) {
        continue;
      }
      int idx = indexOf(result, mergeKey, po.get(mergeKey));
      if ("delete".equals(Json.text(po, "$patch"))) {
        if (idx >= 0) {
          result.remove(idx);
        }
      } else if (idx >= 0) {
        result.set(idx, mergeMap((ObjectNode) result.get(idx), po));
      } else {
        result.add(mergeMap(Json.object(), po));
      }
    }
    ArrayNode out = JsonNodeFactory.instance.arrayNode();
    result.forEach(out::add);
    return out;
  }

  private static String mergeKey(String field, ArrayNode original, ArrayNode patch) {
    if (field.equals("ports")) {
      boolean container = hasField(original, "containerPort") || hasField(patch, "containerPort");
      return container ? "containerPort" : "port";
    }
    return MERGE_KEYS.get(field);
  }

  private static boolean hasField(ArrayNode list, String field) {
    if (list == null) {
      return false;
    }
    for (JsonNode n : list) {
      if (n.has(field)) {
        return true;
      }
    }
    return false;
  }

  private static ArrayNode reorder(ArrayNode list, JsonNode order, String mergeKey) {
    List<JsonNode> remaining = new ArrayList<>();
    list.forEach(remaining::add);
    ArrayNode out = JsonNodeFactory.instance.arrayNode();
    for (JsonNode o : order) {
      JsonNode id = mergeKey != null && o.isObject() ? o.get(mergeKey) : o;
      int idx = mergeKey != null ? indexOf(remaining, mergeKey, id) : remaining.indexOf(id);
      if (idx >= 0) {
        out.add(remaining.remove(idx));
      }
    }
    remaining.forEach(out::add);
    return out;
  }

  private static int indexOf(List<JsonNode> list, String key, JsonNode value) {
    for (int i = 0; i < list.size(); i++) {
      JsonNode v = list.get(i).get(key);
      if (v != null && value != null && v.asText().equals(value.asText())) {
        return i;
      }
    }
    return -1;
  }

  private static boolean contains(ArrayNode list, JsonNode value) {
    for (JsonNode n : list) {
      if (n.equals(value)) {
        return true;
      }
    }
    return false;
  }
}
