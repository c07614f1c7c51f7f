package dev.vigil.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.Message;
import io.kubernetes.client.proto.IntStr.IntOrString;
import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.Resource.Quantity;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Test fixtures: protobuf bodies as client-go writes them, and golden JSON parsed from YAML text. */
final class Protos {

  private Protos() {}

  /** "k8s\0" + runtime.Unknown{typeMeta, raw}. */
  static byte[] envelope(String apiVersion, String kind, Message m) {
    return KubeContent.envelope(apiVersion, kind, m.toByteArray());
  }

  /** Object metadata the way client-go marshals it: every non-pointer field written, empty or not. */
  static Meta.ObjectMeta.Builder meta(String name, String namespace) {
    return Meta.ObjectMeta.newBuilder().setName(name).setNamespace(namespace).setGenerateName("").setSelfLink("")
        .setUid("").setResourceVersion("").setGeneration(0).setCreationTimestamp(Meta.Time.newBuilder());
  }

  /** Metadata of a stored object: uid, resourceVersion, creation time. */
  static Meta.ObjectMeta.Builder stored(String name, String namespace) {
    return meta(name, namespace).setUid("6b1e3c1a-0000-4000-8000-000000000001").setResourceVersion("42")
        .setCreationTimestamp(Meta.Time.newBuilder().setSeconds(1_767_225_600L)); // 2026-01-01T00:00:00Z
  }

  static Quantity quantity(String q) {
    return Quantity.newBuilder().setString(q).build();
  }

  static IntOrString intOrString(int i) {
    return IntOrString.newBuilder().setType(0).setIntVal(i).setStrVal("").build();
  }

  static IntOrString intOrString(String s) {
    return IntOrString.newBuilder().setType(1).setIntVal(0).setStrVal(s).build();
  }

  /** Golden JSON written as YAML (flow style is JSON): numbers, strings and booleans parse as the JSON would. */
  static JsonNode yaml(String text) {
    try {
      return KubeContent.YAML.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode json(String text) {
    try {
      return KubeContent.MAPPER.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
