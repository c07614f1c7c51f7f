package dev.vigil.llmsim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The fault modes, selected by model name, as a client sees them. */
class FaultModesTest {

  private static SimFixture f;

  @BeforeAll
  static void start() {
    f = SimFixture.withKey();
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  /** What a client read before the stream ended, and whether it ended with an I/O error. */
  private record Read(int status, String body, IOException error, long firstByteMillis) {}

  private static Read read(String path, java.util.Map<String, String> headers, String body) throws Exception {
    long t0 = System.nanoTime();
    HttpResponse<InputStream> r = f.http.send(f.request(path, headers)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofInputStream());
    long firstByte = (System.nanoTime() - t0) / 1_000_000;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    IOException error = null;
    try (InputStream in = r.body()) {
      byte[] buf = new byte[256];
      for (int n; (n = in.read(buf)) > 0; ) {
        out.write(buf, 0, n);
      }
    } catch (IOException e) {
      error = e;
    }
    return new Read(r.statusCode(), out.toString(StandardCharsets.UTF_8), error, firstByte);
  }

  private static String anthropicStream(String model) {
    return SimFixture.messages(model, true, "Which pods are running in the payments namespace?").encode();
  }

  @Test
  void shouldCloseTheConnectionMidStreamWithoutMessageStop() throws Exception {
    Read r = read("/v1/messages", SimFixture.anthropic(), anthropicStream("fault-disconnect-mid-stream"));

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.error()).as("the client sees the connection end early").isNotNull();
    List<String> types = Sse.parse(r.body()).events().stream().map(Sse.Event::event).toList();
    assertThat(types).containsExactly("message_start", "content_block_start", "ping", "content_block_delta");
  }

  @Test
  void shouldSendCutOffJsonThenEndTheStreamNormally() throws Exception {
    Read r = read("/v1/messages", SimFixture.anthropic(), anthropicStream("fault-malformed-sse"));

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.error()).as("the response itself ends cleanly").isNull();
    List<Sse.Event> events = Sse.parse(r.body()).events();
    assertThat(events).hasSize(5);
    for (Sse.Event e : events.subList(0, 4)) {
      assertThat(new JsonObject(e.data()).getString("type")).isEqualTo(e.event());
    }
    Sse.Event broken = events.get(4);
    assertThat(broken.event()).isEqualTo("content_block_delta");
    assertThatThrownBy(() -> new JsonObject(broken.data())).isInstanceOf(DecodeException.class);
  }

  @Test
  void shouldWaitBeforeTheFirstByteThenAnswerNormally() throws Exception {
    Read r = read("/v1/messages", SimFixture.anthropic(), anthropicStream("fault-slow-first-byte"));

    assertThat(r.firstByteMillis()).isGreaterThanOrEqualTo(400);
    assertThat(r.error()).isNull();
    List<Sse.Event> events = Sse.parse(r.body()).events();
    assertThat(events.get(events.size() - 1).event()).isEqualTo("message_stop");
  }

  @Test
  void shouldAnswer500InEachProvidersFormat() throws Exception {
    Read anthropic = read("/v1/messages", SimFixture.anthropic(), anthropicStream("fault-500"));
    assertThat(anthropic.status()).isEqualTo(500);
    assertThat(new JsonObject(anthropic.body()).getJsonObject("error").getString("type")).isEqualTo("api_error");

    String chat = new JsonObject().put("model", "fault-500").put("stream", true).put("messages", new JsonArray()
        .add(new JsonObject().put("role", "user").put("content", "pods"))).encode();
    Read openAi = read("/v1/chat/completions", SimFixture.openAi(), chat);
    assertThat(openAi.status()).isEqualTo(500);
    assertThat(new JsonObject(openAi.body()).getJsonObject("error").getString("type")).isEqualTo("server_error");
  }

  @Test
  void shouldBreakOpenAiStreamsWithoutDone() throws Exception {
    String chat = new JsonObject().put("model", "fault-disconnect-mid-stream").put("stream", true)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hello"))).encode();
    Read cut = read("/v1/chat/completions", SimFixture.openAi(), chat);
    assertThat(cut.error()).isNotNull();
    assertThat(Sse.parse(cut.body()).events()).hasSize(2).noneMatch(e -> e.data().equals("[DONE]"));

    Read malformed = read("/v1/chat/completions", SimFixture.openAi(),
        chat.replace("fault-disconnect-mid-stream", "fault-malformed-sse"));
    assertThat(malformed.error()).isNull();
    List<Sse.Event> events = Sse.parse(malformed.body()).events();
    assertThat(events).hasSize(3);
    assertThatThrownBy(() -> new JsonObject(events.get(2).data())).isInstanceOf(DecodeException.class);
  }

  @Test
  void shouldBreakNonStreamingBodiesToo() throws Exception {
    String body = SimFixture.messages("fault-disconnect-mid-stream", false, "pods in payments").encode();
    Read cut = read("/v1/messages", SimFixture.anthropic(), body);
    assertThat(cut.error()).isNotNull();
    assertThat(cut.body()).startsWith("{\"id\":\"msg_01");

    Read malformed = read("/v1/messages", SimFixture.anthropic(), body.replace("fault-disconnect-mid-stream",
        "fault-malformed-sse"));
    assertThat(malformed.error()).isNull();
    assertThat(malformed.status()).isEqualTo(200);
    assertThatThrownBy(() -> new JsonObject(malformed.body())).isInstanceOf(DecodeException.class);
  }
}
