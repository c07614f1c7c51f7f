package dev.vigil.kubesim.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import dev.vigil.kubesim.store.Json;
import dev.vigil.kubesim.store.StatusException;
import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.Runtime;
import io.kubernetes.client.proto.V1;
import io.kubernetes.client.proto.V1Rbac;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProtobufDecoderTest {

  /** What client-go sends: "k8s\0" + runtime.Unknown{typeMeta, raw}. */
  private static byte[] envelope(String apiVersion, String kind, Message m) {
    Runtime.Unknown u = Runtime.Unknown.newBuilder()
        .setTypeMeta(Runtime.TypeMeta.newBuilder().setApiVersion(apiVersion).setKind(kind))
        .setRaw(m.toByteString()).setContentEncoding("").setContentType("").build();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {'k', '8', 's', 0});
    out.writeBytes(u.toByteArray());
    return out.toByteArray();
  }

  private static Meta.ObjectMeta.Builder meta(String name) {
    // client-go always writes the non-pointer fields, empty or not
    return Meta.ObjectMeta.newBuilder().setName(name).setNamespace("payments").setGenerateName("").setUid("")
        .setResourceVersion("").setGeneration(0).setCreationTimestamp(Meta.Time.newBuilder().setSeconds(0).setNanos(0));
  }

  @Test
  void shouldDecodeAConfigMap() throws Exception {
    V1.ConfigMap cm = V1.ConfigMap.newBuilder().setMetadata(meta("x")).putData("a", "b").putData("empty", "").build();
    ObjectNode json = ProtobufDecoder.decode(envelope("v1", "ConfigMap", cm));
    assertThat(json).isEqualTo(Json.YAML.readTree("""
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: x, namespace: payments}
        data: {a: b, empty: ""}
        """));
  }

  @Test
  void shouldEncodeSecretBytesAsBase64() {
    V1.Secret s = V1.Secret.newBuilder().setMetadata(meta("s")).setType("Opaque")
        .putData("p", ByteString.copyFrom("q", StandardCharsets.UTF_8)).build();
    ObjectNode json = ProtobufDecoder.decode(envelope("v1", "Secret", s));
    assertThat(json.path("data").path("p").asText()).isEqualTo("cQ==");
    assertThat(json.path("type").asText()).isEqualTo("Opaque");
  }

  @Test
  void shouldKeepEmptyStringsInsideLists() {
    V1Rbac.Role role = V1Rbac.Role.newBuilder().setMetadata(meta("r"))
        .addRules(V1Rbac.PolicyRule.newBuilder().addApiGroups("").addResources("pods").addVerbs("get")).build();
    ObjectNode json = ProtobufDecoder.decode(envelope("rbac.authorization.k8s.io/v1", "Role", role));
    assertThat(json.path("rules").get(0).path("apiGroups").get(0).asText()).isEmpty();
    assertThat(json.path("rules").get(0).path("resources").get(0).asText()).isEqualTo("pods");
  }

  @Test
  void shouldRenderIntOrStringAndDropGoZeroValues() {
    V1.Service svc = V1.Service.newBuilder().setMetadata(meta("svc")).setSpec(V1.ServiceSpec.newBuilder()
        .addPorts(V1.ServicePort.newBuilder().setName("http").setPort(80).setNodePort(0).setProtocol("TCP")
            .setTargetPort(io.kubernetes.client.proto.IntStr.IntOrString.newBuilder().setType(0).setIntVal(8080)))
        .setType("ClusterIP")).build();
    ObjectNode json = ProtobufDecoder.decode(envelope("v1", "Service", svc));
    assertThat(json.path("spec").path("ports").get(0)).isEqualTo(Json.object().put("name", "http").put("protocol", "TCP")
        .put("port", 80).put("targetPort", 8080));
  }

  @Test
  void shouldRejectABodyWithoutTheEnvelopeMagic() {
    assertThatThrownBy(() -> ProtobufDecoder.decode("{}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(StatusException.class).hasMessageContaining("magic");
  }

  @Test
  void shouldAnswer415ForAKindWithoutProtobufType() {
    assertThatThrownBy(() -> ProtobufDecoder.decode(envelope("example.com/v1", "Widget", cm("w"))))
        .isInstanceOf(StatusException.class).hasMessageContaining("Kind=Widget")
        .satisfies(e -> assertThat(((StatusException) e).code()).isEqualTo(415));
  }

  @Test
  void shouldAnswer400ForATruncatedBody() {
    byte[] body = envelope("v1", "ConfigMap", cm("truncated-config-map"));
    assertThatThrownBy(() -> ProtobufDecoder.decode(java.util.Arrays.copyOf(body, body.length - 8)))
        .isInstanceOf(StatusException.class).hasMessageContaining("invalid protobuf")
        .satisfies(e -> assertThat(((StatusException) e).code()).isEqualTo(400));
  }

  @Test
  void shouldKeepAnEmptyDirVolumeAndInlineReferences() {
    V1.Pod pod = V1.Pod.newBuilder().setMetadata(meta("p")).setSpec(V1.PodSpec.newBuilder()
        .addVolumes(V1.Volume.newBuilder().setName("scratch").setVolumeSource(V1.VolumeSource.newBuilder()
            .setEmptyDir(V1.EmptyDirVolumeSource.newBuilder())))
        .addContainers(V1.Container.newBuilder().setName("c").setImage("nginx").addEnvFrom(V1.EnvFromSource.newBuilder()
            .setConfigMapRef(V1.ConfigMapEnvSource.newBuilder()
                .setLocalObjectReference(V1.LocalObjectReference.newBuilder().setName("cfg")))))).build();
    ObjectNode json = ProtobufDecoder.decode(envelope("v1", "Pod", pod));
    assertThat(json.path("spec").path("volumes").get(0)).isEqualTo(Json.object().put("name", "scratch")
        .set("emptyDir", Json.object()));
    assertThat(json.path("spec").path("containers").get(0).path("envFrom").get(0).path("configMapRef").path("name")
        .asText()).isEqualTo("cfg");
  }

  private static V1.ConfigMap cm(String name) {
    return V1.ConfigMap.newBuilder().setMetadata(meta(name)).putData("a", "b").build();
  }
}
