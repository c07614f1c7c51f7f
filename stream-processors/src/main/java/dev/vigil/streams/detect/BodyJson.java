package dev.vigil.streams.detect;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.vigil.schema.Body;
import dev.vigil.schema.BodyEncoding;

/**
 * Recorded bodies as JSON trees. A body that is absent, BASE64 (undecodable bytes), truncated or not JSON cannot be
 * inspected: the callers then treat the request as "content unknown" (they never guess). The recorded content is the
 * masked text: secret values are already {@code masked:<kind>:<fingerprint>} tokens, structure is intact.
 *
 * <p>As the gateway's guardrails do, a JSON patch (an array of operations) is materialised into the object it sets:
 * the value of every {@code add}/{@code replace} placed at its path; {@code copy}/{@code move} make it unknown.
 */
final class BodyJson {

  private static final ObjectReader READER = new ObjectMapper().reader();

  private BodyJson() {}

  /** The body's single JSON value, or null when it cannot be read as one. */
  static JsonNode parse(Body body) {
    String text = inspectableText(body);
    if (text == null) {
      return null;
    }
    try {
      return READER.readTree(text);
    } catch (JsonProcessingException e) {
      return null; // not JSON (or cut): the content is unknown to the detectors, which is a normal case
    }
  }

  /**
   * Every JSON value of the body, in order: a watch body or frame holds one event per line. Empty when the body is not
   * (entirely) JSON.
   */
  static List<JsonNode> parseAll(Body body) {
    String text = inspectableText(body);
    if (text == null) {
      return List.of();
    }
    List<JsonNode> out = new ArrayList<>();
    try (MappingIterator<JsonNode> it = READER.forType(JsonNode.class).readValues(text)) {
      while (it.hasNextValue()) {
        out.add(it.nextValue());
      }
    } catch (IOException e) {
      return List.of(); // not JSON: the content is unknown (see parse)
    }
    return out;
  }

  private static String inspectableText(Body body) {
    if (body == null || body.getEncoding() != BodyEncoding.TEXT || body.getTruncated() || body.getContent() == null) {
      return null;
    }
    String text = body.getContent().strip();
    return text.isEmpty() || !(text.startsWith("{") || text.startsWith("[")) ? null : text;
  }

  /** The object content a write request sets (an object as is, a JSON patch materialised), or null when unknown. */
  static JsonNode content(Body body) {
    JsonNode node = parse(body);
    if (node == null) {
      return null;
    }
    if (node.isObject()) {
      return node;
    }
    if (!node.isArray()) {
      return null;
    }
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    for (JsonNode op : node) {
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

  private static boolean isIndex(String token) {
    return "-".equals(token) || (!token.isEmpty() && token.chars().allMatch(Character::isDigit));
  }

  /** Whether any object in the tree outside {@code metadata} has {@code key} set to boolean true. */
  static boolean anyTrue(JsonNode node, String key) {
    return find(node, (k, v) -> k.equals(key) && v.isBoolean() && v.booleanValue());
  }

  /** Whether any object in the tree outside {@code metadata} has {@code key} set to a non-null value. */
  static boolean anySet(JsonNode node, String key) {
    return find(node, (k, v) -> k.equals(key) && !v.isNull() && !v.isMissingNode());
  }

  /** Whether any field of any object in the tree (depth first, skipping {@code metadata}) satisfies the test. */
  static boolean find(JsonNode node, BiPredicate<String, JsonNode> test) {
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

  /** The string elements of an array (or a lone string), e.g. a rule's {@code verbs}. */
  static List<String> strings(JsonNode node) {
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
