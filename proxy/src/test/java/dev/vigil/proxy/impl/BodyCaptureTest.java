package dev.vigil.proxy.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import dev.vigil.schema.Body;
import dev.vigil.schema.BodyEncoding;
import io.vertx.core.buffer.Buffer;

class BodyCaptureTest {

  @Test
  void shouldRecordSmallJsonAsText() {
    BodyCapture c = new BodyCapture(1024, "application/json; charset=utf-8");
    c.append(Buffer.buffer("{\"a\":"));
    c.append(Buffer.buffer("1}"));

    Body b = c.toBody();

    assertThat(b.getEncoding()).isEqualTo(BodyEncoding.TEXT);
    assertThat(b.getContent()).isEqualTo("{\"a\":1}");
    assertThat(b.getOriginalSize()).isEqualTo(7);
    assertThat(b.getTruncated()).isFalse();
    assertThat(b.getContentType()).isEqualTo("application/json; charset=utf-8");
  }

  @Test
  void shouldKeepOnlyTheCapAndCountEverything() {
    BodyCapture c = new BodyCapture(10, "text/plain");
    for (int i = 0; i < 100; i++) {
      c.append(Buffer.buffer("0123456789"));
    }

    Body b = c.toBody();

    assertThat(b.getContent()).isEqualTo("0123456789");
    assertThat(b.getOriginalSize()).isEqualTo(1000);
    assertThat(b.getTruncated()).isTrue();
  }

  @Test
  void shouldNotSplitAMultiByteCharacterAtTheCap() {
    BodyCapture c = new BodyCapture(4, "application/yaml");
    c.append(Buffer.buffer("abcé and more", "UTF-8")); // 'é' is 2 bytes: bytes 4-5

    Body b = c.toBody();

    assertThat(b.getEncoding()).isEqualTo(BodyEncoding.TEXT);
    assertThat(b.getContent()).isEqualTo("abc");
    assertThat(b.getTruncated()).isTrue();
  }

  @Test
  void shouldBase64BinaryAndInvalidUtf8() {
    byte[] protobuf = {'k', '8', 's', 0, 1, 2, (byte) 0xff};
    BodyCapture proto = new BodyCapture(1024, "application/vnd.kubernetes.protobuf");
    proto.append(Buffer.buffer(protobuf));
    BodyCapture badJson = new BodyCapture(1024, "application/json");
    badJson.append(Buffer.buffer(new byte[] {'{', (byte) 0xc3, '}'}));

    assertThat(proto.toBody().getEncoding()).isEqualTo(BodyEncoding.BASE64);
    assertThat(Base64.getDecoder().decode(proto.toBody().getContent())).isEqualTo(protobuf);
    assertThat(badJson.toBody().getEncoding()).isEqualTo(BodyEncoding.BASE64);
  }

  @Test
  void shouldRecordNothingForAnEmptyBodyAndHonourADeclaredSize() {
    assertThat(new BodyCapture(10, "application/json").toBody()).isNull();
    BodyCapture c = new BodyCapture(3, "text/plain");
    c.append(Buffer.buffer("abcd".getBytes(StandardCharsets.UTF_8)));

    Body b = c.toBody(5000);

    assertThat(b.getOriginalSize()).isEqualTo(5000);
    assertThat(b.getTruncated()).isTrue();
  }

  @Test
  void shouldRecordNoContentWithAZeroCapButStillFlagTruncation() {
    BodyCapture c = new BodyCapture(0, "application/json");
    c.append(Buffer.buffer("{}"));

    Body b = c.toBody();

    assertThat(b.getContent()).isEmpty();
    assertThat(b.getOriginalSize()).isEqualTo(2);
    assertThat(b.getTruncated()).isTrue();
  }

  @Test
  void shouldKnowWhichContentTypesAreText() {
    assertThat(BodyCapture.isTextual("application/json")).isTrue();
    assertThat(BodyCapture.isTextual("application/merge-patch+json")).isTrue();
    assertThat(BodyCapture.isTextual("application/apply-patch+yaml")).isTrue();
    assertThat(BodyCapture.isTextual("text/plain;charset=utf-8")).isTrue();
    assertThat(BodyCapture.isTextual("application/json;as=Table;v=v1;g=meta.k8s.io")).isTrue();
    assertThat(BodyCapture.isTextual("application/vnd.kubernetes.protobuf")).isFalse();
    assertThat(BodyCapture.isTextual("application/octet-stream")).isFalse();
    assertThat(BodyCapture.isTextual(null)).isFalse();
  }
}
