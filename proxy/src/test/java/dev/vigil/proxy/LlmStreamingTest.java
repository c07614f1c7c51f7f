package dev.vigil.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.vigil.proxy.llm.SseSamples;
import dev.vigil.schema.Direction;
import dev.vigil.schema.ResponseCompleted;
import dev.vigil.schema.ResponseOutcome;
import dev.vigil.schema.StreamFrame;
import dev.vigil.schema.StreamKind;
import dev.vigil.schema.VigilEvent;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Streamed LLM calls end to end: relayed event by event, recorded as frames plus the assembled reply. */
class LlmStreamingTest {

  static final String ANTHROPIC = SseSamples.text("anthropic-tool-use.sse");
  static final String PROMPT = "{\"model\":\"claude-3-5-sonnet-20241022\",\"max_tokens\":1024,\"stream\":true,"
      + "\"tools\":[{\"name\":\"kubectl\",\"input_schema\":{\"type\":\"object\"}}],"
      + "\"messages\":[{\"role\":\"user\",\"content\":\"Which pods run in payments?\"}]}";

  @TempDir
  static Path dir;
  static LlmFixture f;
  static String token;

  @BeforeAll
  static void start() throws Exception {
    f = new LlmFixture(dir, Map.of("vigil.proxy.llm.stream-idle-timeout", "1s"), null);
    token = f.gw.mint("agent-1");
  }

  @AfterAll
  static void stop() throws Exception {
    f.close();
  }

  @BeforeEach
  void reset() {
    f.sink.clear();
    f.upstream.clear();
  }

  /** The sample's first {@code n} events (each ends with a blank line). */
  static String firstEvents(String wire, int n) {
    int at = 0;
    for (int i = 0; i < n; i++) {
      at = wire.indexOf("\n\n", at) + 2;
    }
    return wire.substring(0, at);
  }

  @Test
  void shouldRelayEachEventAsItArrivesAndRecordFramesAndTheAssembledToolUse() throws Exception {
    Promise<Void> firstSeen = Promise.promise();
    String head = firstEvents(ANTHROPIC, 3);
    f.upstream.script((req, body) -> {
      HttpServerResponse out = FakeLlmUpstream.sseHead(req);
      // the rest is sent only once the caller has the first events: a gateway that buffered would never get there
      f.upstream.stream(out, head, 40, 5, () -> firstSeen.future().onComplete(ar ->
          f.upstream.stream(out, ANTHROPIC.substring(head.length()), 33, 5, out::end)));
    });
    StringBuilder got = new StringBuilder();
    LlmFixture.Received r = f.call(f.client, HttpMethod.POST, "/llm/anthropic/v1/messages", f.bearer(token), PROMPT,
        (req, chunk) -> {
          got.append(chunk);
          if (got.toString().contains("event: ping")) {
            firstSeen.tryComplete();
          }
        });

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.failure()).isNull();
    assertThat(r.headers().get("content-type")).startsWith("text/event-stream");
    assertThat(r.body()).isEqualTo(ANTHROPIC);

    List<VigilEvent> events = f.awaitCall();
    assertThat(events.get(0).getRequest().getLlm().getStream()).isTrue();
    List<StreamFrame> frames = LlmFixture.frames(events);
    assertThat(frames).hasSize(16).allSatisfy(fr -> {
      assertThat(fr.getStream()).isEqualTo(StreamKind.SSE);
      assertThat(fr.getDirection()).isEqualTo(Direction.TO_CLIENT);
    });
    assertThat(frames).extracting(StreamFrame::getFrameIndex).containsExactly(
        0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L, 13L, 14L, 15L);
    assertThat(new JsonObject(frames.get(0).getData().getContent()).getString("type")).isEqualTo("message_start");
    assertThat(new JsonObject(frames.get(15).getData().getContent()).getString("type")).isEqualTo("message_stop");
    ResponseCompleted rc = LlmFixture.completed(events);
    assertThat(rc.getOutcome()).isEqualTo(ResponseOutcome.COMPLETED);
    assertThat(rc.getFramesRecorded()).isEqualTo(16);
    assertThat(rc.getBytesToClient()).isGreaterThanOrEqualTo(ANTHROPIC.length());
    JsonObject reply = new JsonObject(rc.getBody().getContent());
    assertThat(reply.getString("id")).isEqualTo("msg_014p7gG3wDgGV9EUtLvnow3U");
    assertThat(reply.getString("stop_reason")).isEqualTo("tool_use");
    JsonArray content = reply.getJsonArray("content");
    assertThat(content.getJsonObject(0).getString("text")).isEqualTo("Okay, let's check the pods in payments:");
    JsonObject toolUse = content.getJsonObject(1);
    assertThat(toolUse.getString("name")).isEqualTo("kubectl");
    assertThat(toolUse.getJsonObject("input"))
        .isEqualTo(new JsonObject().put("command", "kubectl get pods -n payments").put("timeout", 30));
    assertThat(reply.getJsonObject("usage").getInteger("output_tokens")).isEqualTo(89);
  }

  @Test
  void shouldStreamOpenAiToolCallsAndAssembleTheirArguments() throws Exception {
    String wire = SseSamples.text("openai-tool-calls.sse");
    f.upstream.script((req, body) -> f.upstream.stream(FakeLlmUpstream.sseHead(req), wire, 7, 0,
        () -> req.response().end()));
    LlmFixture.Received r = f.call(HttpMethod.POST, "/llm/openai/v1/chat/completions", f.bearer(token),
        "{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"pods?\"}]}");

    assertThat(r.body()).isEqualTo(wire);
    List<VigilEvent> events = f.awaitCall();
    assertThat(LlmFixture.frames(events)).hasSize(8);
    assertThat(LlmFixture.frames(events).get(7).getData().getContent()).isEqualTo("[DONE]");
    ResponseCompleted rc = LlmFixture.completed(events);
    assertThat(rc.getOutcome()).isEqualTo(ResponseOutcome.COMPLETED);
    JsonObject call = new JsonObject(rc.getBody().getContent()).getJsonArray("choices").getJsonObject(0)
        .getJsonObject("message").getJsonArray("tool_calls").getJsonObject(0);
    assertThat(call.getString("id")).isEqualTo("call_DdmO9pD3xa9XTPNJ32zg2hcA");
    assertThat(new JsonObject(call.getJsonObject("function").getString("arguments")))
        .isEqualTo(new JsonObject().put("command", "kubectl get pods -n payments"));
  }

  @Test
  void shouldStreamOverHttp2() throws Exception {
    String wire = SseSamples.text("anthropic-text.sse");
    f.upstream.script((req, body) -> f.upstream.stream(FakeLlmUpstream.sseHead(req), wire, 64, 2,
        () -> req.response().end()));
    HttpClient h2 = f.http2();
    try {
      LlmFixture.Received r = f.call(h2, HttpMethod.POST, "/llm/anthropic/v1/messages", f.bearer(token), PROMPT,
          (req, chunk) -> assertThat(req.version()).isEqualTo(io.vertx.core.http.HttpVersion.HTTP_2));
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.body()).isEqualTo(wire);
    } finally {
      h2.close();
    }
    assertThat(LlmFixture.completed(f.awaitCall()).getOutcome()).isEqualTo(ResponseOutcome.COMPLETED);
  }

  @Test
  void shouldRecordAClientThatLeavesMidStreamAndStopTheUpstream() throws Exception {
    CountDownLatch upstreamClosed = new CountDownLatch(1);
    f.upstream.script((req, body) -> {
      HttpServerResponse out = FakeLlmUpstream.sseHead(req);
      out.closeHandler(v -> upstreamClosed.countDown());
      out.write(firstEvents(ANTHROPIC, 4)); // then nothing: the model "thinks"
    });
    LlmFixture.Received r = f.call(f.client, HttpMethod.POST, "/llm/anthropic/v1/messages", f.bearer(token), PROMPT,
        (req, chunk) -> req.connection().close());

    assertThat(r.failure()).isNotNull();
    assertThat(upstreamClosed.await(10, TimeUnit.SECONDS)).as("upstream request reset").isTrue();
    List<VigilEvent> events = f.awaitCall();
    ResponseCompleted rc = LlmFixture.completed(events);
    assertThat(rc.getOutcome()).isEqualTo(ResponseOutcome.CLIENT_DISCONNECTED);
    assertThat(new JsonObject(rc.getBody().getContent()).getJsonArray("content").getJsonObject(0).getString("text"))
        .isEqualTo("Okay");
  }

  @Test
  void shouldRecordAnUpstreamThatBreaksMidStreamAndResetTheCaller() throws Exception {
    f.upstream.script((req, body) -> f.upstream.stream(FakeLlmUpstream.sseHead(req), firstEvents(ANTHROPIC, 5), 1000,
        0, () -> req.connection().close()));
    LlmFixture.Received r = f.call(HttpMethod.POST, "/llm/anthropic/v1/messages", f.bearer(token), PROMPT);

    assertThat(r.failure()).as("the caller learns the stream broke").isNotNull();
    assertThat(r.body()).isEqualTo(firstEvents(ANTHROPIC, 5));
    ResponseCompleted rc = LlmFixture.completed(f.awaitCall());
    assertThat(rc.getOutcome()).isEqualTo(ResponseOutcome.UPSTREAM_RESET);
    assertThat(rc.getHeaders().get("vigil-upstream-error")).startsWith("RESET: ");
    assertThat(rc.getFramesRecorded()).isEqualTo(5);
  }

  @Test
  void shouldRelayAMalformedStreamAsFarAsItIsValidThenEndIt() throws Exception {
    CountDownLatch upstreamClosed = new CountDownLatch(1);
    String valid = firstEvents(ANTHROPIC, 2);
    String bad = "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":\n\n";
    f.upstream.script((req, body) -> {
      HttpServerResponse out = FakeLlmUpstream.sseHead(req);
      out.closeHandler(v -> upstreamClosed.countDown());
      out.write(valid + bad + firstEvents(ANTHROPIC, 6).substring(valid.length()));
    });
    LlmFixture.Received r = f.call(HttpMethod.POST, "/llm/anthropic/v1/messages", f.bearer(token), PROMPT);

    assertThat(r.failure()).isNull();
    assertThat(r.body()).isEqualTo(valid);
    assertThat(upstreamClosed.await(10, TimeUnit.SECONDS)).as("upstream request reset").isTrue();
    ResponseCompleted rc = LlmFixture.completed(f.awaitCall());
    assertThat(rc.getOutcome()).isEqualTo(ResponseOutcome.UPSTREAM_RESET);
    assertThat(rc.getHeaders().get("vigil-upstream-error"))
        .isEqualTo("MALFORMED_SSE: event 2 (content_block_delta) is not a JSON object");
    assertThat(rc.getFramesRecorded()).isEqualTo(2);
  }

  @Test
  void shouldEndAStreamWhoseProviderFallsSilentForTheIdleTimeout() throws Exception {
    f.upstream.script((req, body) -> FakeLlmUpstream.sseHead(req).write(firstEvents(ANTHROPIC, 3)));
    long start = System.nanoTime();
    LlmFixture.Received r = f.call(HttpMethod.POST, "/llm/anthropic/v1/messages", f.bearer(token), PROMPT);

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    assertThat(r.failure()).isNotNull();
    ResponseCompleted rc = LlmFixture.completed(f.awaitCall());
    assertThat(rc.getOutcome()).isEqualTo(ResponseOutcome.UPSTREAM_RESET);
    assertThat(rc.getHeaders().get("vigil-upstream-error")).startsWith("TIMEOUT: ");
  }

  @Test
  void shouldRecordAStreamThatEndsEarlyOrWithAnErrorEvent() throws Exception {
    f.upstream.script((req, body) -> FakeLlmUpstream.sseHead(req).end(firstEvents(ANTHROPIC, 3)));
    f.call(HttpMethod.POST, "/llm/anthropic/v1/messages", f.bearer(token), PROMPT);
    ResponseCompleted early = LlmFixture.completed(f.awaitCall());
    assertThat(early.getOutcome()).isEqualTo(ResponseOutcome.UPSTREAM_RESET);
    assertThat(early.getHeaders().get("vigil-upstream-error"))
        .isEqualTo("INCOMPLETE_STREAM: the stream ended before its last event");

    f.sink.clear();
    String error = "event: error\ndata: {\"type\": \"error\", \"error\": {\"type\": \"overloaded_error\", "
        + "\"message\": \"Overloaded\"}}\n\n";
    f.upstream.script((req, body) -> FakeLlmUpstream.sseHead(req).end(firstEvents(ANTHROPIC, 3) + error));
    LlmFixture.Received r = f.call(HttpMethod.POST, "/llm/anthropic/v1/messages", f.bearer(token), PROMPT);
    assertThat(r.body()).endsWith(error);
    ResponseCompleted errored = LlmFixture.completed(f.awaitCall());
    assertThat(errored.getHeaders().get("vigil-upstream-error")).isEqualTo("STREAM_ERROR: overloaded_error: Overloaded");
  }

  @Test
  void shouldMaskCredentialsInEveryRecordedBodyButRelayTheReplyUntouched() throws Exception {
    String key = "AKIAZ7XQ3VJ4MN2P8RTW";
    String wire = SseSamples.text("anthropic-text.sse").replace("! How can I help?", "! The key is " + key);
    f.upstream.script((req, body) -> f.upstream.stream(FakeLlmUpstream.sseHead(req), wire, 50, 0,
        () -> req.response().end()));
    LlmFixture.Received r = f.call(HttpMethod.POST, "/llm/anthropic/v1/messages", f.bearer(token),
        PROMPT.replace("Which pods run in payments?", "Is " + key + " valid?"));

    assertThat(r.body()).isEqualTo(wire);
    List<VigilEvent> events = f.awaitCall();
    assertThat(events.toString()).doesNotContain(key);
    assertThat(LlmFixture.request(events).getFindings()).extracting(dev.vigil.schema.Finding::getKind)
        .contains("aws-access-key");
    assertThat(LlmFixture.request(events).getBody().getMasked()).isTrue();
    assertThat(LlmFixture.frames(events)).anySatisfy(fr -> {
      assertThat(fr.getData().getContent()).contains("masked:aws-access-key:");
      assertThat(fr.getFindings()).isNotEmpty();
    });
    ResponseCompleted rc = LlmFixture.completed(events);
    assertThat(rc.getBody().getContent()).contains("The key is masked:aws-access-key:");
    assertThat(rc.getFindings()).extracting(dev.vigil.schema.Finding::getKind).containsExactly("aws-access-key");
  }
}
