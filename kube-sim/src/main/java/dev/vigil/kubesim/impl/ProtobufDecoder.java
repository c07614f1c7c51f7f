package dev.vigil.kubesim.impl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.vigil.kubesim.store.Json;
import dev.vigil.kubesim.store.StatusException;
import io.kubernetes.client.proto.Runtime;
import io.kubernetes.client.proto.V1;
import io.kubernetes.client.proto.V1Apps;
import io.kubernetes.client.proto.V1Authentication;
import io.kubernetes.client.proto.V1Authorization;
import io.kubernetes.client.proto.V1Autoscaling;
import io.kubernetes.client.proto.V1Batch;
import io.kubernetes.client.proto.V1Networking;
import io.kubernetes.client.proto.V1Policy;
import io.kubernetes.client.proto.V1Rbac;
import io.kubernetes.client.proto.V1Scheduling;
import io.kubernetes.client.proto.V1Storage;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decodes {@code application/vnd.kubernetes.protobuf} request bodies (magic {@code k8s\0} +
 * {@code runtime.Unknown}) into the JSON form of the object, using the descriptors generated in
 * {@code io.kubernetes:client-java-proto}. Zero values Go would omit are dropped.
 */
final class ProtobufDecoder {

  static final String CONTENT_TYPE = "application/vnd.kubernetes.protobuf";
  private static final byte[] MAGIC = {'k', '8', 's', 0};
  private static final String META = "k8s.io.apimachinery.pkg.apis.meta.v1.";
  private static final Map<String, Descriptor> TYPES = index(List.of(V1.getDescriptor(), V1Apps.getDescriptor(),
      V1Rbac.getDescriptor(), V1Batch.getDescriptor(), V1Networking.getDescriptor(), V1Policy.getDescriptor(),
      V1Scheduling.getDescriptor(), V1Storage.getDescriptor(), V1Autoscaling.getDescriptor(),
      V1Authentication.getDescriptor(), V1Authorization.getDescriptor()));

  /** Go pointer fields where 0 is meaningful; other zero numbers are omitempty in Go and dropped. */
  private static final Set<String> ZERO_MEANINGFUL = Set.of("replicas", "terminationGracePeriodSeconds",
      "activeDeadlineSeconds", "backoffLimit", "parallelism", "completions", "ttlSecondsAfterFinished",
      "runAsUser", "runAsGroup", "fsGroup", "defaultMode", "mode", "revisionHistoryLimit",
      "successfulJobsHistoryLimit", "failedJobsHistoryLimit", "priority", "port", "containerPort", "number",
      "gracePeriodSeconds", "startingDeadlineSeconds", "minAvailable", "maxUnavailable");

  /** Go pointer booleans where false is meaningful; other false values are omitempty in Go. */
  private static final Set<String> FALSE_MEANINGFUL = Set.of("immutable", "automountServiceAccountToken",
      "allowPrivilegeEscalation", "readOnlyRootFilesystem", "runAsNonRoot", "privileged", "optional",
      "enableServiceLinks", "shareProcessNamespace", "hostUsers", "setHostnameAsFQDN", "controller",
      "blockOwnerDeletion", "allowVolumeExpansion", "suspend", "manualSelector", "allowed");

  private ProtobufDecoder() {}

  static ObjectNode decode(byte[] body) {
    if (body.length < MAGIC.length || !Arrays.equals(Arrays.copyOf(body, MAGIC.length), MAGIC)) {
      throw StatusException.badRequest("protobuf body does not start with the k8s envelope magic");
    }
    try {
      Runtime.Unknown unknown = Runtime.Unknown.parseFrom(Arrays.copyOfRange(body, MAGIC.length, body.length));
      String apiVersion = unknown.getTypeMeta().getApiVersion();
      String kind = unknown.getTypeMeta().getKind();
      ObjectNode obj;
      String ct = unknown.getContentType();
      if (ct.startsWith("application/json")) {
        obj = Json.parseObject(unknown.getRaw().toByteArray());
      } else {
        Descriptor d = TYPES.get(protoPackage(apiVersion) + "." + kind);
        if (d == null) {
          throw new StatusException(415, "UnsupportedMediaType",
              "kube-sim cannot decode protobuf for " + apiVersion + ", Kind=" + kind + "; send JSON instead");
        }
        obj = (ObjectNode) toJson(DynamicMessage.parseFrom(d, unknown.getRaw()));
        if (obj == null) {
          obj = Json.object();
        }
      }
      ObjectNode out = Json.object();
      out.put("apiVersion", apiVersion);
      out.put("kind", kind);
      out.setAll(obj);
      return out;
    } catch (InvalidProtocolBufferException e) {
      throw StatusException.badRequest("invalid protobuf body: " + e.getMessage());
    }
  }

  /** "v1" → k8s.io.api.core.v1, "apps/v1" → k8s.io.api.apps.v1, "rbac.authorization.k8s.io/v1" → ...rbac.v1. */
  static String protoPackage(String apiVersion) {
    int slash = apiVersion.indexOf('/');
    if (slash < 0) {
      return "k8s.io.api.core." + apiVersion;
    }
    String group = apiVersion.substring(0, slash);
    int dot = group.indexOf('.');
    return "k8s.io.api." + (dot < 0 ? group : group.substring(0, dot)) + "." + apiVersion.substring(slash + 1);
  }

  private static Map<String, Descriptor> index(List<FileDescriptor> files) {
    Map<String, Descriptor> out = new HashMap<>();
    for (FileDescriptor f : files) {
      for (Descriptor d : f.getMessageTypes()) {
        out.put(d.getFullName(), d);
      }
    }
    return Map.copyOf(out);
  }

  /** JSON for a message; null when Go would omit it (empty). */
  private static JsonNode toJson(Message m) {
    String type = m.getDescriptorForType().getFullName();
    switch (type) {
      case META + "Time", META + "MicroTime" -> {
        long seconds = (Long) field(m, "seconds", 0L);
        int nanos = (Integer) field(m, "nanos", 0);
        if (seconds == 0 && nanos == 0) {
          return null;
        }
        Instant t = Instant.ofEpochSecond(seconds, nanos);
        return JsonNodeFactory.instance.textNode(type.endsWith("MicroTime")
            ? DateTimeFormatter.ISO_INSTANT.format(t) : Json.timestamp(t));
      }
      case "k8s.io.apimachinery.pkg.api.resource.Quantity" -> {
        return JsonNodeFactory.instance.textNode((String) field(m, "string", "0"));
      }
      case "k8s.io.apimachinery.pkg.util.intstr.IntOrString" -> {
        long kind = (Long) field(m, "type", 0L);
        return kind == 1 ? JsonNodeFactory.instance.textNode((String) field(m, "strVal", ""))
            : JsonNodeFactory.instance.numberNode((Integer) field(m, "intVal", 0));
      }
      case META + "Duration" -> {
        return JsonNodeFactory.instance.textNode((String) field(m, "duration", "0s"));
      }
      case "k8s.io.apimachinery.pkg.runtime.RawExtension", META + "FieldsV1" -> {
        ByteString raw = (ByteString) field(m, "raw", ByteString.EMPTY);
        return raw.isEmpty() ? null : Json.parseObject(raw.toByteArray());
      }
      default -> {
        return message(m);
      }
    }
  }

  private static ObjectNode message(Message m) {
    ObjectNode out = Json.object();
    for (Map.Entry<FieldDescriptor, Object> e : m.getAllFields().entrySet()) {
      FieldDescriptor f = e.getKey();
      JsonNode v;
      if (f.isMapField()) {
        ObjectNode map = Json.object();
        for (Object entry : (List<?>) e.getValue()) {
          Message em = (Message) entry;
          Object key = field(em, "key", "");
          FieldDescriptor vf = em.getDescriptorForType().findFieldByName("value");
          JsonNode value = scalarOrMessage(vf, em.getField(vf));
          if (value == null) {
            value = vf.getJavaType() == FieldDescriptor.JavaType.STRING
                ? JsonNodeFactory.instance.textNode("") : Json.object();
          }
          map.set(String.valueOf(key), value);
        }
        v = map.isEmpty() ? null : map;
      } else if (f.isRepeated()) {
        ArrayNode arr = JsonNodeFactory.instance.arrayNode();
        for (Object item : (List<?>) e.getValue()) {
          JsonNode j = scalarOrMessage(f, item);
          arr.add(j != null ? j : f.getJavaType() == FieldDescriptor.JavaType.STRING
              ? JsonNodeFactory.instance.textNode("") : Json.object());
        }
        v = arr.isEmpty() ? null : arr;
      } else {
        v = scalarOrMessage(f, e.getValue());
        if (v != null && v.isNumber() && v.asDouble() == 0 && !ZERO_MEANINGFUL.contains(f.getJsonName())) {
          v = null;
        }
        if (v != null && v.isBoolean() && !v.asBoolean() && !FALSE_MEANINGFUL.contains(f.getJsonName())) {
          v = null;
        }
      }
      if (v != null) {
        out.set(f.getJsonName(), v);
      }
    }
    return out.isEmpty() ? null : out;
  }

  private static JsonNode scalarOrMessage(FieldDescriptor f, Object value) {
    JsonNodeFactory n = JsonNodeFactory.instance;
    return switch (f.getJavaType()) {
      case MESSAGE -> toJson((Message) value);
      case STRING -> ((String) value).isEmpty() ? null : n.textNode((String) value);
      case BYTE_STRING -> n.textNode(Base64.getEncoder().encodeToString(((ByteString) value).toByteArray()));
      case INT -> n.numberNode((Integer) value);
      case LONG -> n.numberNode((Long) value);
      case BOOLEAN -> n.booleanNode((Boolean) value);
      case DOUBLE -> n.numberNode((Double) value);
      case FLOAT -> n.numberNode((Float) value);
      case ENUM -> n.textNode(value.toString());
    };
  }

  private static Object field(Message m, String name, Object fallback) {
    FieldDescriptor f = m.getDescriptorForType().findFieldByName(name);
    return f == null || !m.hasField(f) ? fallback : m.getField(f);
  }
}
