package dev.vigil.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.vigil.codec.DecodeResult.Problem;
import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.Runtime;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Kubernetes protobuf → the JSON the API server would write for the same object, driven by the descriptors generated
 * in client-java-proto (no per-kind code). One instance per decode: it collects the warnings.
 *
 * <p>Rules, from how Go's generated marshallers and {@code encoding/json} behave:
 * <ul>
 *   <li>JSON names are the proto field names (Kubernetes derives both from the Go JSON tag), except the few
 *       capitalised proto names in {@link #RENAMED}; fields Go embeds with {@code json:",inline"} ({@link #INLINE})
 *       are merged into their parent.</li>
 *   <li>Types with their own JSON form: {@code Time} (RFC 3339 seconds; zero omitted, as {@code null} would be),
 *       {@code MicroTime}, {@code Duration} (Go duration string), {@code Quantity} (its string),
 *       {@code IntOrString} (number or string), {@code RawExtension} (the embedded object: JSON, or a nested
 *       {@code k8s\0} envelope), {@code FieldsV1} and other single-{@code raw}-bytes types (embedded JSON),
 *       {@code Verbs}/{@code ExtraValue} (arrays), {@code bytes} (standard base64, as Go's {@code []byte}).</li>
 *   <li>Go writes every non-pointer field to protobuf, zero or not, and omits zero values from JSON only when the
 *       field is {@code omitempty} — which the descriptors do not say. So zero scalars ({@code ""}, 0, false) are
 *       dropped except for the fields named in {@link #ZERO_KEPT}, {@link #FALSE_KEPT}, {@link #EMPTY_KEPT}
 *       (pointers or required fields where the zero value means something); values inside lists and maps are
 *       always kept. Present messages are kept even when empty ({@code emptyDir: {}}, {@code status: {}}), as Go
 *       writes structs.</li>
 *   <li>Fields on the wire that the descriptors do not know (an API newer than client-java-proto) are dropped and
 *       reported as warnings.</li>
 * </ul>
 */
final class ProtobufJson {

  static final byte[] MAGIC = {'k', '8', 's', 0};
  private static final JsonNodeFactory N = JsonNodeFactory.instance;
  private static final String META = ProtoTypes.META + ".";
  private static final int MAX_WARNINGS = 20;

  /**
   * Go pointer or required numeric fields where 0 is a value, not an omitted default: a field name, or
   * "Message.field" where the same name is {@code omitempty} elsewhere ({@code DeploymentStatus.replicas}).
   */
  private static final Set<String> ZERO_KEPT = Set.of("DeploymentSpec.replicas", "ReplicaSetSpec.replicas",
      "StatefulSetSpec.replicas", "ReplicationControllerSpec.replicas", "ReplicaSetStatus.replicas",
      "StatefulSetStatus.replicas", "ReplicationControllerStatus.replicas", "ScaleStatus.replicas",
      "terminationGracePeriodSeconds", "activeDeadlineSeconds", "backoffLimit", "parallelism", "completions",
      "ttlSecondsAfterFinished", "runAsUser", "runAsGroup", "fsGroup", "defaultMode", "mode", "revisionHistoryLimit",
      "successfulJobsHistoryLimit", "failedJobsHistoryLimit", "priority", "port", "containerPort",
      "gracePeriodSeconds", "startingDeadlineSeconds", "restartCount", "exitCode", "weight", "minReplicas",
      "maxReplicas", "desiredReplicas", "partition", "tolerationSeconds", "expirationSeconds",
      "progressDeadlineSeconds", "maxSkew", "minDomains", "Port");

  /** Go pointer or required booleans where false is a value. */
  private static final Set<String> FALSE_KEPT = Set.of("immutable", "automountServiceAccountToken",
      "allowPrivilegeEscalation", "readOnlyRootFilesystem", "runAsNonRoot", "privileged", "optional",
      "enableServiceLinks", "shareProcessNamespace", "hostUsers", "setHostnameAsFQDN", "controller",
      "blockOwnerDeletion", "allowVolumeExpansion", "suspend", "manualSelector", "allowed", "orphanDependents",
      "ready", "started", "allocateLoadBalancerNodePorts", "serving", "terminating", "namespaced");

  /** Go pointer strings where "" is a value ({@code storageClassName: ""} means "no class"). */
  private static final Set<String> EMPTY_KEPT = Set.of("storageClassName");

  /** Fields Go embeds with {@code json:",inline"}: "ContainingMessage.field", any group version. */
  private static final Set<String> INLINE = Set.of("Volume.volumeSource",
      "PersistentVolumeSpec.persistentVolumeSource", "EphemeralContainer.ephemeralContainerCommon", "Probe.handler",
      "ConfigMapEnvSource.localObjectReference", "ConfigMapKeySelector.localObjectReference",
      "ConfigMapProjection.localObjectReference", "ConfigMapVolumeSource.localObjectReference",
      "SecretEnvSource.localObjectReference", "SecretKeySelector.localObjectReference",
      "SecretProjection.localObjectReference", "IngressRule.ingressRuleValue");

  /** Capitalised proto names whose JSON name is lower camel ("Message.Field" → JSON name). */
  private static final Map<String, String> RENAMED = Map.of("MutatingWebhookConfiguration.Webhooks", "webhooks",
      "ValidatingWebhookConfiguration.Webhooks", "webhooks", "Validation.Expression", "expression",
      "Variable.Expression", "expression", "Variable.Name", "name");

  private final List<String> warnings = new ArrayList<>();
  private int depth;

  List<String> warnings() {
    return warnings;
  }

  static boolean hasMagic(byte[] body, int offset, int length) {
    if (length < MAGIC.length) {
      return false;
    }
    for (int i = 0; i < MAGIC.length; i++) {
      if (body[offset + i] != MAGIC[i]) {
        return false;
      }
    }
    return true;
  }

  /** {@code k8s\0} + runtime.Unknown → the object with {@code kind} and {@code apiVersion}. */
  ObjectNode envelope(byte[] body, int offset, int length) {
    if (!hasMagic(body, offset, length)) {
      throw new Undecodable(Problem.NOT_ENVELOPE, "protobuf body does not start with the k8s\\0 envelope magic");
    }
    if (++depth > 8) {
      throw new Undecodable(Problem.MALFORMED, "protobuf envelopes nested too deeply");
    }
    try {
      Runtime.Unknown unknown;
      try {
        unknown = Runtime.Unknown.parseFrom(ByteBuffer.wrap(body, offset + MAGIC.length, length - MAGIC.length));
      } catch (InvalidProtocolBufferException e) {
        throw new Undecodable(Problem.MALFORMED, "invalid protobuf envelope: " + e.getMessage());
      }
      String apiVersion = unknown.getTypeMeta().getApiVersion();
      String kind = unknown.getTypeMeta().getKind();
      if (!unknown.getContentEncoding().isEmpty()) {
        throw new Undecodable(Problem.UNSUPPORTED_ENCODING,
            "protobuf envelope with contentEncoding " + unknown.getContentEncoding() + " is not supported");
      }
      String innerType = unknown.getContentType();
      JsonNode inner;
      if (innerType.isEmpty() || KubeContent.classify(innerType) == ContentKind.PROTOBUF) {
        if (kind.isEmpty()) {
          throw new Undecodable(Problem.UNKNOWN_KIND, "undecodable protobuf: the envelope names no kind");
        }
        Descriptor type = ProtoTypes.find(apiVersion, kind);
        if (type == null) {
          throw new Undecodable(Problem.UNKNOWN_KIND, "undecodable protobuf kind " + apiVersion + ", Kind=" + kind
              + " (no generated type in client-java-proto)");
        }
        inner = message(parse(type, unknown.getRaw(), kind), kind);
      } else if (KubeContent.classify(innerType) == ContentKind.JSON) {
        inner = json(unknown.getRaw(), kind);
      } else {
        throw new Undecodable(Problem.UNSUPPORTED_ENCODING,
            "protobuf envelope with inner contentType " + innerType + " is not supported");
      }
      if (!(inner instanceof ObjectNode obj)) {
        throw new Undecodable(Problem.MALFORMED, "the envelope of " + kind + " does not hold an object");
      }
      ObjectNode out = N.objectNode();
      if (!kind.isEmpty()) {
        out.put("kind", kind);
      }
      if (!apiVersion.isEmpty()) {
        out.put("apiVersion", apiVersion);
      }
      out.setAll(obj);
      return out;
    } finally {
      depth--;
    }
  }

  /** One watch event as framed in a protobuf watch stream: a bare meta/v1 WatchEvent message, no envelope. */
  ObjectNode watchEvent(byte[] body, int offset, int length) {
    return (ObjectNode) message(parse(Meta.WatchEvent.getDescriptor(), ByteString.copyFrom(body, offset, length),
        "WatchEvent"), "WatchEvent");
  }

  private static DynamicMessage parse(Descriptor type, ByteString bytes, String what) {
    try {
      return DynamicMessage.parseFrom(type, bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new Undecodable(Problem.MALFORMED, "invalid protobuf " + what + ": " + e.getMessage());
    }
  }

  private static JsonNode json(ByteString raw, String path) {
    try {
      JsonNode node = KubeContent.MAPPER.readTree(raw.newInput());
      if (node == null || node.isMissingNode()) {
        throw new Undecodable(Problem.MALFORMED, "empty embedded JSON at " + path);
      }
      return node;
    } catch (IOException e) {
      throw new Undecodable(Problem.MALFORMED, "invalid embedded JSON at " + path + ": " + e.getMessage());
    }
  }

  /** The JSON for a message; null when Go would write nothing (a zero Time, an empty RawExtension). */
  private JsonNode message(Message m, String path) {
    Descriptor d = m.getDescriptorForType();
    noteUnknownFields(m, path);
    String type = d.getFullName();
    switch (type) {
      case META + "Time", META + "Timestamp" -> {
        long seconds = longField(m, "seconds");
        return seconds == 0 && longField(m, "nanos") == 0 ? null : N.textNode(GoFormats.time(seconds));
      }
      case META + "MicroTime" -> {
        long seconds = longField(m, "seconds");
        int nanos = (int) longField(m, "nanos");
        return seconds == 0 && nanos == 0 ? null : N.textNode(GoFormats.microTime(seconds, nanos));
      }
      case META + "Duration" -> {
        return N.textNode(GoFormats.duration(longField(m, "duration")));
      }
      case "k8s.io.apimachinery.pkg.api.resource.Quantity", "k8s.io.apimachinery.pkg.api.resource.QuantityValue" -> {
        String q = stringField(m, "string");
        return N.textNode(q.isEmpty() ? "0" : q);
      }
      case "k8s.io.apimachinery.pkg.util.intstr.IntOrString" -> {
        return longField(m, "type") == 1 ? N.textNode(stringField(m, "strVal"))
            : N.numberNode((int) longField(m, "intVal"));
      }
      case "k8s.io.apimachinery.pkg.runtime.RawExtension" -> {
        return rawExtension(bytesField(m, "raw"), path);
      }
      default -> {
        if (isStringList(d)) {
          ArrayNode arr = N.arrayNode();
          FieldDescriptor items = d.getFields().get(0);
          for (int i = 0; i < m.getRepeatedFieldCount(items); i++) {
            arr.add((String) m.getRepeatedField(items, i));
          }
          return arr;
        }
        if (isRawJson(d)) {
          ByteString raw = (ByteString) m.getField(d.getFields().get(0));
          return raw.isEmpty() ? null : json(raw, path);
        }
        return object(m, path);
      }
    }
  }

  private ObjectNode object(Message m, String path) {
    Descriptor d = m.getDescriptorForType();
    ObjectNode out = N.objectNode();
    for (FieldDescriptor f : d.getFields()) {
      String name = jsonName(d, f);
      String at = path + "." + name;
      if (f.isMapField()) {
        int count = m.getRepeatedFieldCount(f);
        if (count > 0) {
          ObjectNode map = out.putObject(name);
          for (int i = 0; i < count; i++) {
            Message entry = (Message) m.getRepeatedField(f, i);
            Descriptor ed = entry.getDescriptorForType();
            String key = String.valueOf(entry.getField(ed.findFieldByNumber(1)));
            FieldDescriptor vf = ed.findFieldByNumber(2);
            map.set(key, element(vf, entry.getField(vf), at + "." + key));
          }
        }
      } else if (f.isRepeated()) {
        int count = m.getRepeatedFieldCount(f);
        if (count > 0) {
          ArrayNode arr = out.putArray(name);
          for (int i = 0; i < count; i++) {
            arr.add(element(f, m.getRepeatedField(f, i), at + "[" + i + "]"));
          }
        }
      } else if (m.hasField(f)) {
        JsonNode v = single(d, f, m.getField(f), at);
        if (v == null) {
          continue;
        }
        if (v.isObject() && INLINE.contains(d.getName() + "." + f.getName())) {
          out.setAll((ObjectNode) v);
        } else {
          out.set(name, v);
        }
      }
    }
    return out;
  }

  /** A list item or map value: zero values are kept; a message Go writes as nothing becomes null. */
  private JsonNode element(FieldDescriptor f, Object value, String path) {
    if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
      JsonNode j = message((Message) value, path);
      return j == null ? N.nullNode() : j;
    }
    return scalar(f, value);
  }

  /** A singular field: null when Go's JSON would omit it. */
  private JsonNode single(Descriptor owner, FieldDescriptor f, Object value, String path) {
    String name = f.getName();
    return switch (f.getJavaType()) {
      case MESSAGE -> message((Message) value, path);
      case STRING -> ((String) value).isEmpty() && !EMPTY_KEPT.contains(name) ? null : scalar(f, value);
      case BYTE_STRING -> ((ByteString) value).isEmpty() ? null : scalar(f, value);
      case BOOLEAN -> !((Boolean) value) && !FALSE_KEPT.contains(name) ? null : scalar(f, value);
      case INT, LONG, FLOAT, DOUBLE -> ((Number) value).doubleValue() == 0 && !ZERO_KEPT.contains(name)
          && !ZERO_KEPT.contains(owner.getName() + "." + name) ? null : scalar(f, value);
      case ENUM -> scalar(f, value);
    };
  }

  private static JsonNode scalar(FieldDescriptor f, Object value) {
    return switch (f.getJavaType()) {
      case STRING -> N.textNode((String) value);
      case BYTE_STRING -> N.textNode(Base64.getEncoder().encodeToString(((ByteString) value).toByteArray()));
      case INT -> N.numberNode((Integer) value);
      case LONG -> number((Long) value);
      case BOOLEAN -> N.booleanNode((Boolean) value);
      case DOUBLE -> N.numberNode((Double) value);
      case FLOAT -> N.numberNode(((Float) value).doubleValue());
      case ENUM -> N.textNode(value.toString());
      case MESSAGE -> throw new IllegalStateException("not a scalar: " + f.getFullName());
    };
  }

  /** Like Jackson's parser: an int node when the value fits, so decoded protobuf equals parsed JSON. */
  private static JsonNode number(long value) {
    return value == (int) value ? N.numberNode((int) value) : N.numberNode(value);
  }

  /**
   * A RawExtension's bytes: in protobuf an embedded object is itself a {@code k8s\0} envelope (watch events, list
   * items); objects that came in as JSON keep JSON bytes.
   */
  private JsonNode rawExtension(ByteString raw, String path) {
    if (raw.isEmpty()) {
      return null;
    }
    byte[] bytes = raw.toByteArray();
    if (hasMagic(bytes, 0, bytes.length)) {
      return envelope(bytes, 0, bytes.length);
    }
    int i = 0;
    while (i < bytes.length && Character.isWhitespace(bytes[i])) {
      i++;
    }
    if (i < bytes.length && (bytes[i] == '{' || bytes[i] == '[')) {
      return json(raw, path);
    }
    throw new Undecodable(Problem.MALFORMED,
        "RawExtension at " + path + " holds neither JSON nor a k8s\\0 protobuf envelope");
  }

  private void noteUnknownFields(Message m, String path) {
    Map<Integer, ?> unknown = m.getUnknownFields().asMap();
    if (!unknown.isEmpty() && warnings.size() < MAX_WARNINGS) {
      warnings.add("protobuf fields " + unknown.keySet() + " of " + m.getDescriptorForType().getName() + " at " + path
          + " are unknown to client-java-proto and were dropped");
    }
  }

  private static String jsonName(Descriptor d, FieldDescriptor f) {
    String renamed = Character.isUpperCase(f.getName().charAt(0)) ? RENAMED.get(d.getName() + "." + f.getName()) : null;
    return renamed != null ? renamed : f.getName();
  }

  /** Go slices declared as messages ({@code Verbs}, {@code ExtraValue}): one repeated string field "items". */
  private static boolean isStringList(Descriptor d) {
    if (d.getFields().size() != 1) {
      return false;
    }
    FieldDescriptor f = d.getFields().get(0);
    return f.isRepeated() && f.getName().equals("items") && f.getJavaType() == FieldDescriptor.JavaType.STRING;
  }

  /** Types holding raw JSON ({@code FieldsV1}, apiextensions {@code JSON}): one singular bytes field "raw"/"Raw". */
  private static boolean isRawJson(Descriptor d) {
    if (d.getFields().size() != 1) {
      return false;
    }
    FieldDescriptor f = d.getFields().get(0);
    return !f.isRepeated() && f.getName().equalsIgnoreCase("raw")
        && f.getJavaType() == FieldDescriptor.JavaType.BYTE_STRING;
  }

  private static long longField(Message m, String name) {
    FieldDescriptor f = m.getDescriptorForType().findFieldByName(name);
    return f == null ? 0 : ((Number) m.getField(f)).longValue();
  }

  private static String stringField(Message m, String name) {
    FieldDescriptor f = m.getDescriptorForType().findFieldByName(name);
    return f == null ? "" : (String) m.getField(f);
  }

  private static ByteString bytesField(Message m, String name) {
    FieldDescriptor f = m.getDescriptorForType().findFieldByName(name);
    return f == null ? ByteString.EMPTY : (ByteString) m.getField(f);
  }
}
