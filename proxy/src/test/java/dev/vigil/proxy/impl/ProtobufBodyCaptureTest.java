package dev.vigil.proxy.impl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.codec.KubeContent;
import dev.vigil.proxy.impl.content.RecordedContent;
import dev.vigil.schema.Body;
import dev.vigil.schema.BodyEncoding;
import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.V1;
import io.vertx.core.buffer.Buffer;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Protobuf bodies (what {@code kubectl create configmap} sends) are recorded as decoded JSON text. */
class ProtobufBodyCaptureTest {

  private static final String PB = "application/vnd.kubernetes.protobuf";

  /** A ConfigMap as client-go writes it: generated message in the k8s\0 + runtime.Unknown envelope. */
  private static byte[] configMap() {
    V1.ConfigMap cm = V1.ConfigMap.newBuilder()
        .setMetadata(Meta.ObjectMeta.newBuilder().setName("app-config").setNamespace("payments").setGenerateName("")
            .setUid("").setResourceVersion("").setGeneration(0).setCreationTimestamp(Meta.Time.newBuilder()))
        .putData("LOG_LEVEL", "debug").putData("empty", "").build();
    return KubeContent.envelope("v1", "ConfigMap", cm.toByteArray());
  }

  @Test
  void shouldRecordAWholeProtobufBodyAsJsonText() {
    byte[] wire = configMap();
    BodyCapture c = new BodyCapture(64 * 1024, PB);
    c.append(Buffer.buffer(Arrays.copyOfRange(wire, 0, 10)));
    c.append(Buffer.buffer(Arrays.copyOfRange(wire, 10, wire.length)));

    Body b = c.toBody();

    assertThat(b.getEncoding()).isEqualTo(BodyEncoding.TEXT);
    assertThat(b.getContentType()).isEqualTo(PB);
    assertThat(b.getOriginalSize()).isEqualTo(wire.length);
    assertThat(b.getTruncated()).isFalse();
    assertThat(b.getContent()).isEqualTo("{\"kind\":\"ConfigMap\",\"apiVersion\":\"v1\","
        + "\"metadata\":{\"name\":\"app-config\",\"namespace\":\"payments\"},\"data\":{\"LOG_LEVEL\":\"debug\",\"empty\":\"\"}}");
    JsonNode json = RecordedContent.json(b);
    assertThat(json.at("/data/LOG_LEVEL").asText()).isEqualTo("debug");
  }

  @Test
  void shouldRecordATruncatedProtobufBodyAsBase64OfThePrefix() {
    byte[] wire = configMap();
    BodyCapture c = new BodyCapture(20, PB);
    c.append(Buffer.buffer(wire));

    Body b = c.toBody();

    assertThat(b.getEncoding()).isEqualTo(BodyEncoding.BASE64);
    assertThat(b.getTruncated()).isTrue();
    assertThat(b.getOriginalSize()).isEqualTo(wire.length);
    assertThat(Base64.getDecoder().decode(b.getContent())).isEqualTo(Arrays.copyOf(wire, 20));
    assertThat(RecordedContent.json(b)).isNull();
  }

  @Test
  void shouldRecordAStillStreamingRequestBodyAsBase64() {
    byte[] wire = configMap();
    BodyCapture c = new BodyCapture(64 * 1024, PB);
    c.append(Buffer.buffer(Arrays.copyOf(wire, 30)));

    Body b = c.toBody(wire.length); // the rest has not arrived yet: the capture is a prefix

    assertThat(b.getEncoding()).isEqualTo(BodyEncoding.BASE64);
    assertThat(b.getTruncated()).isTrue();
  }

  @Test
  void shouldRecordYamlAsJsonText() {
    BodyCapture c = new BodyCapture(1024, "application/apply-patch+yaml");
    c.append(Buffer.buffer("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n"));

    Body b = c.toBody();

    assertThat(b.getEncoding()).isEqualTo(BodyEncoding.TEXT);
    assertThat(b.getContent()).isEqualTo("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"x\"}}");
    assertThat(b.getContentType()).isEqualTo("application/apply-patch+yaml");
  }
}
