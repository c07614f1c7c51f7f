package dev.vigil.codec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.google.protobuf.ByteString;
import dev.vigil.codec.DecodeResult.Problem;
import io.kubernetes.client.proto.Runtime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Kubernetes request and response bodies as one canonical JSON tree, whatever their wire format: JSON (also the patch
 * types and {@code ;as=Table}), YAML (also server-side apply patches) and Kubernetes protobuf. Nothing here throws on
 * bad input: undecodable bodies give a {@link DecodeResult} with a {@link DecodeResult.Problem}.
 *
 * <p>Protobuf ({@code application/vnd.kubernetes.protobuf}) comes in two shapes:
 * <ul>
 *   <li>an object: the 4 magic bytes {@code k8s\0}, then a {@code runtime.Unknown} message
 *       {@code {typeMeta{apiVersion, kind}, raw, contentEncoding, contentType}} whose {@code raw} is the object's
 *       generated message (found in client-java-proto by API version and kind); the result carries {@code kind} and
 *       {@code apiVersion} like the JSON form;</li>
 *   <li>a watch stream ({@code ;stream=watch}): frames of a 4-byte big-endian length followed by that many bytes of a
 *       bare {@code meta/v1 WatchEvent} message (no envelope) whose {@code object} is a RawExtension holding an
 *       enveloped object. {@link #decodeProtobufWatchFrame} decodes one frame to {@code {"type": …, "object": …}},
 *       {@link #decodeProtobufWatchEvent} the message without its prefix; {@link #decode} of a whole stream (or of
 *       one bare WatchEvent message with the stream content type) gives an array of events.</li>
 * </ul>
 */
public final class KubeContent {

  /** The Kubernetes protobuf media type. */
  public static final String PROTOBUF = "application/vnd.kubernetes.protobuf";

  static final ObjectMapper MAPPER = new ObjectMapper();
  static final YAMLMapper YAML = new YAMLMapper();

  private KubeContent() {}

  /** What a body with this Content-Type is; parameters ({@code ;charset=}, {@code ;as=Table}, {@code ;stream=}) are ignored. */
  public static ContentKind classify(String contentType) {
    String t = mediaType(contentType);
    if (t.isEmpty()) {
      return ContentKind.BINARY;
    }
    if (t.equals(PROTOBUF)) {
      return ContentKind.PROTOBUF;
    }
    if (t.equals("application/json") || t.endsWith("+json") || t.equals("text/json")) {
      return ContentKind.JSON;
    }
    if (t.equals("application/yaml") || t.equals("application/x-yaml") || t.equals("text/yaml")
        || t.equals("text/x-yaml") || t.endsWith("+yaml")) {
      return ContentKind.YAML;
    }
    if (t.startsWith("text/") || t.equals("application/xml") || t.endsWith("+xml")
        || t.equals("application/x-www-form-urlencoded")) {
      return ContentKind.TEXT;
    }
    return ContentKind.BINARY;
  }

  /** The media type without parameters, trimmed and lower case; "" for null. */
  public static String mediaType(String contentType) {
    if (contentType == null) {
      return "";
    }
    int semi = contentType.indexOf(';');
    return (semi < 0 ? contentType : contentType.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
  }

  /** True when the Content-Type has the {@code stream=watch} parameter. */
  public static boolean isWatchStream(String contentType) {
    if (contentType == null) {
      return false;
    }
    for (String param : contentType.split(";")) {
      String p = param.strip().toLowerCase(Locale.ROOT).replace(" ", "");
      if (p.equals("stream=watch")) {
        return true;
      }
    }
    return false;
  }

  /**
   * The body as a JSON tree. JSON and YAML are parsed as they are (several YAML documents or a JSON watch stream
   * give an array); protobuf is converted to the JSON shape the API server would use. Never throws.
   */
  public static DecodeResult decode(String contentType, byte[] body) {
    ContentKind kind = classify(contentType);
    if (body == null || body.length == 0) {
      return DecodeResult.failed(kind, Problem.EMPTY, "empty body");
    }
    try {
      return switch (kind) {
        case JSON -> DecodeResult.ok(kind, values(MAPPER, body, "JSON", isWatchStream(contentType)), List.of());
        case YAML -> DecodeResult.ok(kind, values(YAML, body, "YAML", false), List.of());
        case PROTOBUF -> isWatchStream(contentType) ? protobufWatchStream(body) : decodeProtobuf(body);
        case TEXT, BINARY -> DecodeResult.failed(kind, Problem.NOT_STRUCTURED,
            "content type " + (contentType == null ? "(none)" : contentType) + " is not JSON, YAML or protobuf");
      };
    } catch (Undecodable e) {
      return DecodeResult.failed(kind, e.problem, e.getMessage());
    }
  }

  /** A protobuf object body ({@code k8s\0} + runtime.Unknown) as JSON. Never throws. */
  public static DecodeResult decodeProtobuf(byte[] body) {
    ProtobufJson codec = new ProtobufJson();
    try {
      return DecodeResult.ok(ContentKind.PROTOBUF, codec.envelope(body, 0, body.length), codec.warnings());
    } catch (Undecodable e) {
      return DecodeResult.failed(ContentKind.PROTOBUF, e.problem, e.getMessage());
    } catch (RuntimeException e) {
      return DecodeResult.failed(ContentKind.PROTOBUF, Problem.MALFORMED, "undecodable protobuf: " + e);
    }
  }

  /**
   * One frame of a protobuf watch stream: a 4-byte big-endian length, then exactly that many bytes of a bare
   * {@code WatchEvent} message. The result is {@code {"type": "ADDED", "object": {kind, apiVersion, …}}}.
   */
  public static DecodeResult decodeProtobufWatchFrame(byte[] frame) {
    int length = watchFrameLength(frame, 0);
    if (length < 0 || 4 + length != frame.length) {
      return DecodeResult.failed(ContentKind.PROTOBUF, Problem.MALFORMED, "a watch frame of " + frame.length
          + " bytes " + (length < 0 ? "has no complete length prefix" : "declares " + length + " bytes after its prefix"));
    }
    ProtobufJson codec = new ProtobufJson();
    try {
      return DecodeResult.ok(ContentKind.PROTOBUF, codec.watchEvent(frame, 4, length), codec.warnings());
    } catch (Undecodable e) {
      return DecodeResult.failed(ContentKind.PROTOBUF, e.problem, e.getMessage());
    } catch (RuntimeException e) {
      return DecodeResult.failed(ContentKind.PROTOBUF, Problem.MALFORMED, "undecodable protobuf watch frame: " + e);
    }
  }

  /**
   * One bare protobuf {@code WatchEvent} message, as carried inside a watch frame after its length prefix. Never
   * throws.
   */
  public static DecodeResult decodeProtobufWatchEvent(byte[] message) {
    ProtobufJson codec = new ProtobufJson();
    try {
      return DecodeResult.ok(ContentKind.PROTOBUF, codec.watchEvent(message, 0, message.length), codec.warnings());
    } catch (Undecodable e) {
      return DecodeResult.failed(ContentKind.PROTOBUF, e.problem, e.getMessage());
    } catch (RuntimeException e) {
      return DecodeResult.failed(ContentKind.PROTOBUF, Problem.MALFORMED, "undecodable protobuf watch event: " + e);
    }
  }

  /**
   * The payload length a protobuf watch frame starting at {@code offset} declares (the frame is 4 + that many
   * bytes), or -1 when fewer than 4 bytes are there or the length is negative.
   */
  public static int watchFrameLength(byte[] stream, int offset) {
    if (stream == null || offset < 0 || stream.length - offset < 4) {
      return -1;
    }
    return ByteBuffer.wrap(stream, offset, 4).getInt();
  }

  /** Frames a WatchEvent message (no envelope) as a protobuf watch stream does: 4-byte big-endian length + bytes. */
  public static byte[] frame(byte[] watchEventMessage) {
    return ByteBuffer.allocate(4 + watchEventMessage.length).putInt(watchEventMessage.length).put(watchEventMessage)
        .array();
  }

  /** Wraps an object's protobuf message bytes in the {@code k8s\0} + runtime.Unknown envelope (for tests, fixtures). */
  public static byte[] envelope(String apiVersion, String kind, byte[] message) {
    byte[] unknown = Runtime.Unknown.newBuilder()
        .setTypeMeta(Runtime.TypeMeta.newBuilder().setApiVersion(apiVersion).setKind(kind))
        .setRaw(ByteString.copyFrom(message)).setContentEncoding("").setContentType("")
        .build().toByteArray();
    return ByteBuffer.allocate(ProtobufJson.MAGIC.length + unknown.length).put(ProtobufJson.MAGIC).put(unknown).array();
  }

  /**
   * The body as UTF-8 text for a recording, or null when it should be recorded byte-exact (base64):
   * <ul>
   *   <li>JSON and other text: the bytes themselves when they are valid UTF-8;</li>
   *   <li>YAML: compact JSON when it parses (so every structured body is recorded as JSON), else the YAML text;</li>
   *   <li>protobuf: compact JSON of the decoded object (a watch stream: one JSON event per line), null when it
   *       cannot be decoded (truncated, unknown kind, garbage);</li>
   *   <li>binary: null.</li>
   * </ul>
   */
  public static String toRecordableText(String contentType, byte[] body) {
    ContentKind kind = classify(contentType);
    if (body == null) {
      return null;
    }
    switch (kind) {
      case PROTOBUF -> {
        DecodeResult r = decode(contentType, body);
        if (!r.decoded()) {
          return null;
        }
        return isWatchStream(contentType) ? lines(r.json()) : write(r.json());
      }
      case YAML -> {
        DecodeResult r = decode(contentType, body);
        return r.decoded() ? write(r.json()) : utf8(body);
      }
      case JSON, TEXT -> {
        return utf8(body);
      }
      default -> {
        return null;
      }
    }
  }

  /** Compact JSON text of a tree. */
  public static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e); // a JsonNode always serialises
    }
  }

  private static String lines(JsonNode events) {
    StringBuilder out = new StringBuilder();
    for (JsonNode e : events) {
      out.append(write(e)).append('\n');
    }
    return out.toString();
  }

  static String utf8(byte[] bytes) {
    return Utf8.strict(bytes);
  }


  /**
   * Every value in the body: one → itself; several YAML documents or a watch stream → an array; several JSON values
   * outside a watch stream → malformed.
   */
  private static JsonNode values(ObjectMapper mapper, byte[] body, String what, boolean stream) {
    List<JsonNode> docs = new ArrayList<>();
    try (JsonParser parser = mapper.createParser(body)) {
      JsonNode doc;
      while ((doc = mapper.readTree(parser)) != null) {
        if (!doc.isMissingNode() && !(doc.isNull() && mapper == YAML)) {
          docs.add(doc);
        }
      }
    } catch (IOException | RuntimeException e) {
      throw new Undecodable(Problem.MALFORMED, "invalid " + what + ": " + firstLine(e.getMessage()));
    }
    if (docs.isEmpty()) {
      throw new Undecodable(Problem.EMPTY, "no " + what + " value in the body");
    }
    if (docs.size() == 1 && !stream) {
      return docs.get(0);
    }
    if (mapper == MAPPER && !stream) {
      throw new Undecodable(Problem.MALFORMED, "invalid JSON: more than one value in the body");
    }
    ArrayNode all = JsonNodeFactory.instance.arrayNode();
    docs.forEach(all::add);
    return all;
  }

  /**
   * A protobuf watch stream: length-prefixed frames, or a single bare WatchEvent message (one event cut out of a
   * stream by a recorder). They are told apart by the first byte: a frame starts with the high byte of its length
   * (0 for any frame under 16 MiB), a WatchEvent with the tag of its field 1 {@code type} (0x0a).
   */
  private static DecodeResult protobufWatchStream(byte[] body) {
    if (body[0] == 0x0a) {
      DecodeResult one = decodeProtobufWatchEvent(body);
      return one.decoded()
          ? DecodeResult.ok(ContentKind.PROTOBUF, JsonNodeFactory.instance.arrayNode().add(one.json()), one.warnings())
          : one;
    }
    ArrayNode events = JsonNodeFactory.instance.arrayNode();
    List<String> warnings = new ArrayList<>();
    int offset = 0;
    while (offset < body.length) {
      int length = watchFrameLength(body, offset);
      if (length < 0 || length > body.length - offset - 4) {
        return DecodeResult.failed(ContentKind.PROTOBUF, Problem.MALFORMED,
            "truncated protobuf watch stream: incomplete frame at byte " + offset);
      }
      ProtobufJson codec = new ProtobufJson();
      try {
        events.add(codec.watchEvent(body, offset + 4, length));
      } catch (RuntimeException e) {
        Problem p = e instanceof Undecodable u ? u.problem : Problem.MALFORMED;
        return DecodeResult.failed(ContentKind.PROTOBUF, p, "watch frame at byte " + offset + ": " + e.getMessage());
      }
      warnings.addAll(codec.warnings());
      offset += 4 + length;
    }
    return DecodeResult.ok(ContentKind.PROTOBUF, events, warnings);
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
