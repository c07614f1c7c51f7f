package dev.vigil.codec;

import static dev.vigil.codec.Protos.envelope;
import static dev.vigil.codec.Protos.json;
import static dev.vigil.codec.Protos.meta;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import dev.vigil.codec.DecodeResult.Problem;
import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.Runtime;
import io.kubernetes.client.proto.V1;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KubeContentTest {

  private static final String PB = "application/vnd.kubernetes.protobuf";
  private static final String PB_WATCH = "application/vnd.kubernetes.protobuf;stream=watch";

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static V1.ConfigMap configMap(String name, String value) {
    return V1.ConfigMap.newBuilder().setMetadata(meta(name, "default")).putData("k", value).build();
  }

  private static byte[] watchFrame(String type, byte[] enveloped) {
    Meta.WatchEvent e = Meta.WatchEvent.newBuilder().setType(type)
        .setObject(Runtime.RawExtension.newBuilder().setRaw(ByteString.copyFrom(enveloped))).build();
    return KubeContent.frame(e.toByteArray());
  }

  @Test
  void shouldClassifyKubernetesContentTypes() {
    assertThat(KubeContent.classify("application/json")).isEqualTo(ContentKind.JSON);
    assertThat(KubeContent.classify("application/json;as=Table;v=v1;g=meta.k8s.io")).isEqualTo(ContentKind.JSON);
    assertThat(KubeContent.classify("Application/JSON; charset=utf-8")).isEqualTo(ContentKind.JSON);
    assertThat(KubeContent.classify("application/merge-patch+json")).isEqualTo(ContentKind.JSON);
    assertThat(KubeContent.classify("application/json-patch+json")).isEqualTo(ContentKind.JSON);
    assertThat(KubeContent.classify("application/strategic-merge-patch+json")).isEqualTo(ContentKind.JSON);
    assertThat(KubeContent.classify("application/apply-patch+yaml")).isEqualTo(ContentKind.YAML);
    assertThat(KubeContent.classify("application/yaml")).isEqualTo(ContentKind.YAML);
    assertThat(KubeContent.classify("text/yaml")).isEqualTo(ContentKind.YAML);
    assertThat(KubeContent.classify(PB)).isEqualTo(ContentKind.PROTOBUF);
    assertThat(KubeContent.classify(PB_WATCH)).isEqualTo(ContentKind.PROTOBUF);
    assertThat(KubeContent.classify("text/plain; charset=utf-8")).isEqualTo(ContentKind.TEXT);
    assertThat(KubeContent.classify("application/octet-stream")).isEqualTo(ContentKind.BINARY);
    assertThat(KubeContent.classify(null)).isEqualTo(ContentKind.BINARY);
    assertThat(KubeContent.isWatchStream(PB_WATCH)).isTrue();
    assertThat(KubeContent.isWatchStream("application/json; stream=watch")).isTrue();
    assertThat(KubeContent.isWatchStream(PB)).isFalse();
  }

  @Test
  void shouldDecodeJsonYamlAndApplyPatches() {
    JsonNode expected = json("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"x\"},"
        + "\"data\":{\"n\":\"1\",\"flag\":\"true\"}}");
    assertThat(KubeContent.decode("application/json", utf8(KubeContent.write(expected))).json()).isEqualTo(expected);
    String yaml = """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: x}
        data:
          n: "1"
          flag: "true"
        """;
    assertThat(KubeContent.decode("application/yaml", utf8(yaml)).json()).isEqualTo(expected);
    assertThat(KubeContent.decode("application/apply-patch+yaml", utf8(yaml)).json()).isEqualTo(expected);
    assertThat(KubeContent.decode("application/merge-patch+json", utf8("{\"data\":null}")).json())
        .isEqualTo(json("{\"data\":null}"));
    assertThat(KubeContent.decode("application/json-patch+json", utf8("[{\"op\":\"remove\",\"path\":\"/a\"}]"))
        .json().isArray()).isTrue();
  }

  @Test
  void shouldGiveAnArrayForSeveralYamlDocumentsAndForAJsonWatchStream() {
    DecodeResult docs = KubeContent.decode("application/yaml", utf8("---\na: 1\n---\nb: 2\n"));
    assertThat(docs.json()).isEqualTo(json("[{\"a\":1},{\"b\":2}]"));
    DecodeResult watch = KubeContent.decode("application/json;stream=watch",
        utf8("{\"type\":\"ADDED\",\"object\":{}}\n"));
    assertThat(watch.json()).isEqualTo(json("[{\"type\":\"ADDED\",\"object\":{}}]"));
  }

  @Test
  void shouldReportBadJsonYamlAndNonStructuredBodies() {
    assertThat(KubeContent.decode("application/json", utf8("{\"a\":")).problem()).isEqualTo(Problem.MALFORMED);
    assertThat(KubeContent.decode("application/yaml", utf8("a: [1, 2")).problem()).isEqualTo(Problem.MALFORMED);
    assertThat(KubeContent.decode("application/json", new byte[0]).problem()).isEqualTo(Problem.EMPTY);
    assertThat(KubeContent.decode("application/json", utf8("{}{}")).problem()).isEqualTo(Problem.MALFORMED);
    assertThat(KubeContent.decode("text/plain", utf8("log line")).problem()).isEqualTo(Problem.NOT_STRUCTURED);
  }

  @Test
  void shouldDecodeOneProtobufWatchFrame() {
    byte[] frame = watchFrame("ADDED", envelope("v1", "ConfigMap", configMap("x", "v")));
    assertThat(KubeContent.watchFrameLength(frame, 0)).isEqualTo(frame.length - 4);

    DecodeResult r = KubeContent.decodeProtobufWatchFrame(frame);

    assertThat(r.problem()).as(r.message()).isNull();
    assertThat(r.json()).isEqualTo(json("""
        {"type": "ADDED", "object": {"kind": "ConfigMap", "apiVersion": "v1",
                                     "metadata": {"name": "x", "namespace": "default"}, "data": {"k": "v"}}}
        """));
  }

  @Test
  void shouldDecodeABareWatchEventGivenTheStreamContentType() {
    byte[] frame = watchFrame("MODIFIED", envelope("v1", "ConfigMap", configMap("x", "v")));
    byte[] message = Arrays.copyOfRange(frame, 4, frame.length);

    assertThat(KubeContent.decodeProtobufWatchEvent(message).json().path("type").asText()).isEqualTo("MODIFIED");
    DecodeResult r = KubeContent.decode(PB_WATCH, message);
    assertThat(r.json()).hasSize(1);
    assertThat(r.json().get(0).path("object").path("data").path("k").asText()).isEqualTo("v");
    assertThat(KubeContent.toRecordableText(PB_WATCH, message)).endsWith("}\n").startsWith("{\"type\":\"MODIFIED\"");
  }

  @Test
  void shouldDecodeAProtobufWatchStreamAndRecordItAsJsonLines() {
    ByteArrayOutputStream stream = new ByteArrayOutputStream();
    stream.writeBytes(watchFrame("ADDED", envelope("v1", "ConfigMap", configMap("a", "1"))));
    stream.writeBytes(watchFrame("DELETED", envelope("v1", "ConfigMap", configMap("b", "2"))));
    Meta.Status expired = Meta.Status.newBuilder().setStatus("Failure").setReason("Expired").setCode(410).build();
    stream.writeBytes(watchFrame("ERROR", envelope("v1", "Status", expired)));
    byte[] body = stream.toByteArray();

    DecodeResult r = KubeContent.decode(PB_WATCH, body);
    assertThat(r.json()).hasSize(3);
    assertThat(r.json().get(1).path("type").asText()).isEqualTo("DELETED");
    assertThat(r.json().get(2).path("object").path("code").asInt()).isEqualTo(410);

    String text = KubeContent.toRecordableText(PB_WATCH, body);
    assertThat(text.split("\n")).hasSize(3);
    assertThat(json(text.split("\n")[0]).path("object").path("metadata").path("name").asText()).isEqualTo("a");

    byte[] cut = Arrays.copyOf(body, body.length - 3);
    assertThat(KubeContent.decode(PB_WATCH, cut).problem()).isEqualTo(Problem.MALFORMED);
    assertThat(KubeContent.decode(PB_WATCH, cut).message()).contains("truncated protobuf watch stream");
    assertThat(KubeContent.toRecordableText(PB_WATCH, cut)).isNull();
  }

  @Test
  void shouldSayWhichKindIsUndecodable() {
    byte[] body = KubeContent.envelope("example.com/v1", "Widget", utf8("whatever"));

    DecodeResult r = KubeContent.decode(PB, body);

    assertThat(r.decoded()).isFalse();
    assertThat(r.problem()).isEqualTo(Problem.UNKNOWN_KIND);
    assertThat(r.message()).contains("undecodable protobuf kind example.com/v1, Kind=Widget");
    assertThat(KubeContent.toRecordableText(PB, body)).isNull();
  }

  @Test
  void shouldNeverThrowOnGarbageOrTruncatedProtobuf() {
    byte[] good = envelope("v1", "ConfigMap", configMap("x", "a value long enough to be cut in the middle"));
    for (int n = 0; n < good.length; n++) {
      byte[] prefix = Arrays.copyOf(good, n);
      assertThatCode(() -> KubeContent.decode(PB, prefix)).doesNotThrowAnyException();
      assertThatCode(() -> KubeContent.toRecordableText(PB, prefix)).doesNotThrowAnyException();
    }
    DecodeResult cutInRaw = KubeContent.decode(PB, Arrays.copyOf(good, good.length - 5));
    assertThat(cutInRaw.problem()).isEqualTo(Problem.MALFORMED);
    assertThat(cutInRaw.message()).contains("invalid protobuf");

    Random random = new Random(7);
    for (int i = 0; i < 500; i++) {
      byte[] garbage = new byte[random.nextInt(64)];
      random.nextBytes(garbage);
      if (i % 2 == 0 && garbage.length >= 4) {
        System.arraycopy(ProtobufJson.MAGIC, 0, garbage, 0, 4);
      }
      assertThatCode(() -> KubeContent.decode(PB, garbage)).doesNotThrowAnyException();
      assertThatCode(() -> KubeContent.decode(PB_WATCH, garbage)).doesNotThrowAnyException();
      assertThatCode(() -> KubeContent.decodeProtobufWatchFrame(garbage)).doesNotThrowAnyException();
    }
    assertThat(KubeContent.decode(PB, utf8("{\"kind\":\"ConfigMap\"}")).problem()).isEqualTo(Problem.NOT_ENVELOPE);
    assertThat(KubeContent.decodeProtobufWatchFrame(new byte[] {0, 0, 0, 9, 1}).problem())
        .isEqualTo(Problem.MALFORMED);
  }

  @Test
  void shouldDecodeJsonCarriedInAnEnvelope() {
    Runtime.Unknown u = Runtime.Unknown.newBuilder()
        .setTypeMeta(Runtime.TypeMeta.newBuilder().setApiVersion("v1").setKind("ConfigMap"))
        .setRaw(ByteString.copyFromUtf8("{\"metadata\":{\"name\":\"j\"}}")).setContentType("application/json").build();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(ProtobufJson.MAGIC);
    body.writeBytes(u.toByteArray());

    assertThat(KubeContent.decode(PB, body.toByteArray()).json())
        .isEqualTo(json("{\"kind\":\"ConfigMap\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"j\"}}"));
  }

  @Test
  void shouldWarnAboutFieldsNewerThanTheDescriptors() {
    V1.ConfigMap cm = configMap("x", "v").toBuilder().setUnknownFields(UnknownFieldSet.newBuilder()
        .addField(99, UnknownFieldSet.Field.newBuilder().addVarint(1).build()).build()).build();

    DecodeResult r = KubeContent.decode(PB, envelope("v1", "ConfigMap", cm));

    assertThat(r.decoded()).isTrue();
    assertThat(r.json().path("data").path("k").asText()).isEqualTo("v");
    assertThat(r.warnings()).singleElement().asString().contains("[99]", "ConfigMap");
  }

  @Test
  void shouldGiveRecordableText() {
    assertThat(KubeContent.toRecordableText("application/json", utf8("{ \"a\" : 1 }"))).isEqualTo("{ \"a\" : 1 }");
    assertThat(KubeContent.toRecordableText("application/apply-patch+yaml", utf8("a: 1\nb: [x]\n")))
        .isEqualTo("{\"a\":1,\"b\":[\"x\"]}");
    assertThat(KubeContent.toRecordableText("application/yaml", utf8("a: [1, 2"))).isEqualTo("a: [1, 2");
    assertThat(KubeContent.toRecordableText("text/plain", utf8("log"))).isEqualTo("log");
    assertThat(KubeContent.toRecordableText("application/json", new byte[] {'"', (byte) 0xff, '"'})).isNull();
    assertThat(KubeContent.toRecordableText("application/octet-stream", utf8("x"))).isNull();
    assertThat(KubeContent.toRecordableText(PB, envelope("v1", "ConfigMap", configMap("x", "v"))))
        .isEqualTo("{\"kind\":\"ConfigMap\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"x\",\"namespace\":\"default\"},"
            + "\"data\":{\"k\":\"v\"}}");
    assertThat(KubeContent.toRecordableText(PB, new byte[] {'k', '8', 's', 0, (byte) 0xff})).isNull();
  }

  @Test
  void shouldDecodeEveryTopLevelKindOfTheCommonGroupsWithoutFailing() {
    for (String[] gvk : new String[][] {{"v1", "ConfigMap"}, {"v1", "Secret"}, {"v1", "Pod"}, {"v1", "Service"},
        {"v1", "Namespace"}, {"v1", "ServiceAccount"}, {"v1", "Event"}, {"v1", "Node"}, {"v1", "List"},
        {"apps/v1", "Deployment"}, {"apps/v1", "ReplicaSet"}, {"apps/v1", "StatefulSet"}, {"apps/v1", "DaemonSet"},
        {"batch/v1", "Job"}, {"batch/v1", "CronJob"}, {"networking.k8s.io/v1", "Ingress"},
        {"rbac.authorization.k8s.io/v1", "Role"}, {"rbac.authorization.k8s.io/v1", "ClusterRoleBinding"},
        {"authorization.k8s.io/v1", "SelfSubjectAccessReview"}, {"v1", "Status"}, {"v1", "WatchEvent"},
        {"meta.k8s.io/v1", "PartialObjectMetadataList"}, {"autoscaling/v1", "Scale"}}) {
      DecodeResult r = KubeContent.decode(PB, KubeContent.envelope(gvk[0], gvk[1], new byte[0]));
      assertThat(r.problem()).as(gvk[0] + " " + gvk[1] + ": " + r.message()).isNull();
      assertThat(r.json().path("kind").asText()).isEqualTo(gvk[1]);
    }
  }
}
