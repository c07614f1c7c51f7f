package dev.vigil.proxy.impl.content;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.codec.ContentKind;
import dev.vigil.codec.DecodeResult;
import dev.vigil.codec.KubeContent;
import dev.vigil.schema.Body;
import dev.vigil.schema.BodyEncoding;
import java.nio.charset.StandardCharsets;

/**
 * What the gateway records of a Kubernetes body, and how it reads a recording back, with kube-codec:
 * <ul>
 *   <li>protobuf ({@code application/vnd.kubernetes.protobuf}, also one watch event or a watch stream) and YAML bodies
 *       captured whole are recorded as the JSON text of the decoded object, so policy, masking and search read one
 *       format; the recorded {@code contentType} stays the original one, which says it was converted, and
 *       {@code originalSize} stays the size on the wire;</li>
 *   <li>a truncated capture cannot be decoded: it keeps the capture's own encoding (a protobuf prefix as base64, a
 *       YAML prefix as text), flagged truncated as before; so does a body kube-codec cannot decode (unknown kind,
 *       garbage, compressed).</li>
 * </ul>
 */
public final class RecordedContent {

  private RecordedContent() {}

  /**
   * The text to record for a captured body: the decoded JSON of a protobuf or YAML body captured whole, else
   * {@code fallback} (the capture's own UTF-8 text, or null for base64).
   */
  public static String text(String contentType, byte[] captured, boolean truncated, String fallback) {
    if (truncated || captured == null || captured.length == 0) {
      return fallback;
    }
    ContentKind kind = KubeContent.classify(contentType);
    if (kind != ContentKind.PROTOBUF && kind != ContentKind.YAML) {
      return fallback;
    }
    String decoded = KubeContent.toRecordableText(contentType, captured);
    return decoded != null ? decoded : fallback;
  }

  /**
   * A recorded body as a JSON tree (for policy and masking): JSON, YAML and protobuf bodies recorded as text and not
   * truncated; a watch stream gives an array of events. Null otherwise (absent, base64, truncated, not structured or
   * not parseable).
   */
  public static JsonNode json(Body body) {
    if (body == null || body.getEncoding() != BodyEncoding.TEXT || body.getTruncated()) {
      return null;
    }
    String contentType = body.getContentType();
    String readAs = switch (KubeContent.classify(contentType)) {
      case JSON -> contentType;
      case YAML -> "application/yaml"; // converted to JSON when recorded; YAML parses JSON too
      case PROTOBUF -> KubeContent.isWatchStream(contentType) ? "application/json;stream=watch" : "application/json";
      default -> null;
    };
    if (readAs == null) {
      return null;
    }
    DecodeResult r = KubeContent.decode(readAs, body.getContent().getBytes(StandardCharsets.UTF_8));
    return r.decoded() ? r.json() : null;
  }
}
