package dev.vigil.query.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import org.junit.jupiter.api.Test;

class AsciicastTest {

  private static JsonObject frame(long millis, Integer channel, String direction, String text, boolean base64) {
    JsonObject f = new JsonObject().put("stream", "EXEC").put("direction", direction);
    if (channel != null) {
      f.put("channelNumber", channel);
    }
    return new JsonObject().put("timeMillis", millis).put("frame", f).put("body", new JsonObject()
        .put("encoding", base64 ? "BASE64" : "TEXT")
        .put("content", base64 ? Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)) : text));
  }

  @Test
  void shouldWriteAHeaderAndOneLinePerReplayedFrame() {
    String cast = Asciicast.render(List.of(
        frame(1_000_000, 4, "TO_UPSTREAM", "{\"Width\":100,\"Height\":30}", false),
        frame(1_000_500, 0, "TO_UPSTREAM", "ls\r", true),
        frame(1_001_250, 1, "TO_CLIENT", "a  b  ü\r\n", true),
        frame(1_001_300, 2, "TO_CLIENT", "oops\n", true),
        frame(1_001_400, 3, "TO_CLIENT", "{\"status\":\"Success\"}", false),
        frame(1_002_000, null, "TO_CLIENT", "attached output", false),
        frame(1_002_001, null, "TO_UPSTREAM", "typed", false)), "kubectl exec web -n x -- sh");
    String[] lines = cast.split("\n");
    JsonObject header = new JsonObject(lines[0]);
    assertThat(header.getInteger("version")).isEqualTo(2);
    assertThat(header.getInteger("width")).isEqualTo(100);
    assertThat(header.getInteger("height")).isEqualTo(30);
    assertThat(header.getLong("timestamp")).isEqualTo(1000);
    assertThat(header.getString("title")).isEqualTo("kubectl exec web -n x -- sh");
    assertThat(lines).hasSize(6);
    assertThat(new JsonArray(lines[1]).encode()).isEqualTo("[0.5,\"i\",\"ls\\r\"]");
    assertThat(new JsonArray(lines[2]).encode()).isEqualTo("[1.25,\"o\",\"a  b  ü\\r\\n\"]");
    assertThat(new JsonArray(lines[3]).getString(1)).isEqualTo("o");
    assertThat(new JsonArray(lines[4]).encode()).isEqualTo("[2.0,\"o\",\"attached output\"]");
    assertThat(new JsonArray(lines[5]).getString(1)).isEqualTo("i");
    assertThat(cast).endsWith("\n").doesNotContain("Success");
  }

  @Test
  void shouldDefaultTo80x24WithoutAResize() {
    JsonObject header = new JsonObject(Asciicast.render(List.of(frame(5_000, 1, "TO_CLIENT", "hi", false)), "t")
        .split("\n")[0]);
    assertThat(header.getInteger("width")).isEqualTo(80);
    assertThat(header.getInteger("height")).isEqualTo(24);
  }
}
