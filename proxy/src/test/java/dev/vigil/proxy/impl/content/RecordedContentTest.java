package dev.vigil.proxy.impl.content;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.codec.KubeContent;
import dev.vigil.schema.Body;
import dev.vigil.schema.BodyEncoding;
import com.google.protobuf.ByteString;
import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.Runtime;
import io.kubernetes.client.proto.V1;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RecordedContentTest {

  private static final String PB = "application/vnd.kubernetes.protobuf";

  static byte[] configMapProtobuf() {
    V1.ConfigMap cm = V1.ConfigMap.newBuilder()
        .setMetadata(Meta.ObjectMeta.newBuilder().setName("app-config").setNamespace("payments").setUid("")
            .setResourceVersion("").setCreationTimestamp(Meta.Time.newBuilder()))
        .putData("LOG_LEVEL", "debug").build();
    return KubeContent.envelope("v1", "ConfigMap", cm.toByteArray());
  }

  private static Body text(String contentType, String content, boolean truncated) {
    return Body.newBuilder().setContentType(contentType).setEncoding(BodyEncoding.TEXT).setContent(content)
        .setOriginalSize(content.length()).setTruncated(truncated).setMasked(false).build();
  }

  @Test
  void shouldGiveJsonTextForWholeProtobufAndYamlBodiesOnly() {
    assertThat(RecordedContent.text(PB, configMapProtobuf(), false, null)).isEqualTo(
        "{\"kind\":\"ConfigMap\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"app-config\",\"namespace\":\"payments\"},"
            + "\"data\":{\"LOG_LEVEL\":\"debug\"}}");
    assertThat(RecordedContent.text("application/apply-patch+yaml", "a: 1\n".getBytes(StandardCharsets.UTF_8), false,
        "a: 1\n")).isEqualTo("{\"a\":1}");
    assertThat(RecordedContent.text(PB, configMapProtobuf(), true, null)).isNull();
    assertThat(RecordedContent.text("application/yaml", "a: 1\n".getBytes(StandardCharsets.UTF_8), true, "a: 1"))
        .isEqualTo("a: 1");
    assertThat(RecordedContent.text(PB, new byte[] {'k', '8', 's', 0, 9}, false, null)).isNull();
    assertThat(RecordedContent.text("application/json", "{ }".getBytes(StandardCharsets.UTF_8), false, "{ }"))
        .isEqualTo("{ }");
  }

  @Test
  void shouldGiveAJsonLineForOneProtobufWatchEventCutOutOfAStream() {
    Meta.WatchEvent event = Meta.WatchEvent.newBuilder().setType("ADDED").setObject(Runtime.RawExtension.newBuilder()
        .setRaw(ByteString.copyFrom(configMapProtobuf()))).build();

    String text = RecordedContent.text(PB + ";stream=watch", event.toByteArray(), false, null);

    assertThat(text).startsWith("{\"type\":\"ADDED\",\"object\":{\"kind\":\"ConfigMap\"").endsWith("}\n");
    assertThat(RecordedContent.text(PB + ";stream=watch", KubeContent.frame(event.toByteArray()), false, null))
        .isEqualTo(text);
  }

  @Test
  void shouldReadRecordedBodiesBackAsJson() {
    assertThat(RecordedContent.json(text(PB, "{\"kind\":\"ConfigMap\",\"data\":{\"a\":\"b\"}}", false))
        .at("/data/a").asText()).isEqualTo("b");
    assertThat(RecordedContent.json(text("application/yaml", "kind: Secret\n", false)).path("kind").asText())
        .isEqualTo("Secret");
    assertThat(RecordedContent.json(text("application/json;stream=watch", "{\"type\":\"ADDED\"}\n", false)))
        .hasSize(1);
    assertThat(RecordedContent.json(text("application/json", "{\"a\":", true))).isNull();
    assertThat(RecordedContent.json(text("text/plain", "log", false))).isNull();
    assertThat(RecordedContent.json(null)).isNull();
  }
}
