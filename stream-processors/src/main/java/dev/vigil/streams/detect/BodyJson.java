package dev.vigil.streams.detect;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

import dev.vigil.codec.WriteContent;
import dev.vigil.schema.Body;
import dev.vigil.schema.BodyEncoding;

/**
 * Recorded bodies as JSON trees. A body that is absent, BASE64 (undecodable bytes), truncated or not JSON cannot be
 * inspected: the callers then treat the request as "content unknown" (they never guess). The recorded content is the
 * masked text: secret values are already {@code masked:<kind>:<fingerprint>} tokens, structure is intact.
 *
 * <p>As the gateway's guardrails do, a JSON patch (an array of operations) is materialised into the object it sets
 * ({@link WriteContent}, kube-codec): the value of every {@code add}/{@code replace} placed at its path;
 * {@code copy}/{@code move} make it unknown. Searching the content is kube-codec's {@code KubeTrees} and
 * {@code PodSecurity}.
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

  /**
   * The object content a write request sets (an object as is, a JSON patch materialised: {@link WriteContent}), or
   * null when unknown.
   */
  static JsonNode content(Body body) {
    return WriteContent.of(parse(body));
  }
}
