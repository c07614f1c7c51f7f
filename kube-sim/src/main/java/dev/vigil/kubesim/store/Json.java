package dev.vigil.kubesim.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** Shared Jackson mappers and small JSON helpers used across kube-sim. */
public final class Json {

  public static final ObjectMapper MAPPER = new ObjectMapper();
  public static final YAMLMapper YAML = new YAMLMapper(new YAMLFactory());

  private Json() {}

  public static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }

  /** Parses a JSON object; throws a 400 {@link StatusException} if it is not one. */
  public static ObjectNode parseObject(byte[] body) {
    try {
      JsonNode node = MAPPER.readTree(body);
      if (node == null || !node.isObject()) {
        throw StatusException.badRequest("request body must be a JSON object");
      }
      return (ObjectNode) node;
    } catch (java.io.IOException e) {
      throw StatusException.badRequest("invalid JSON body: " + e.getMessage());
    }
  }

  /** The non-empty object documents of a (multi-document) YAML or JSON text. */
  public static java.util.List<ObjectNode> documents(String yaml) {
    java.util.List<ObjectNode> out = new java.util.ArrayList<>();
    try (var parser = YAML.createParser(yaml)) {
      for (var it = YAML.readValues(parser, JsonNode.class); it.hasNext(); ) {
        if (it.next() instanceof ObjectNode o && !o.isEmpty()) {
          out.add(o);
        }
      }
    } catch (java.io.IOException e) {
      throw StatusException.badRequest("invalid YAML: " + e.getMessage());
    }
    return out;
  }

  public static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** RFC 3339 timestamp with second precision, the way Kubernetes serializes metav1.Time. */
  public static String timestamp(Instant instant) {
    return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
  }

  public static String text(JsonNode node, String field) {
    JsonNode v = node == null ? null : node.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  /** Returns {@code node.path(a).path(b)...} as text, or null when missing. */
  public static String textAt(JsonNode node, String... path) {
    JsonNode cur = node;
    for (String p : path) {
      if (cur == null) {
        return null;
      }
      cur = cur.get(p);
    }
    return cur == null || cur.isNull() || cur.isContainerNode() ? null : cur.asText();
  }

  /** Gets or creates a child object. */
  public static ObjectNode obj(ObjectNode parent, String field) {
    JsonNode existing = parent.get(field);
    if (existing instanceof ObjectNode o) {
      return o;
    }
    return parent.putObject(field);
  }
}
