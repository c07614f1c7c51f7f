package dev.vigil.proxy.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

class ReplyAssemblerTest {

  private static ReplyAssembler feed(ReplyAssembler a, List<SseParser.Event> events) throws SseParser.MalformedException {
    for (SseParser.Event e : events) {
      a.accept(e);
    }
    return a;
  }

  private static JsonNode json(String s) throws Exception {
    return ReplyAssembler.JSON.readTree(s);
  }

  @Test
  void shouldAssembleAnthropicTextAndToolUseWithTheModelsWholeInput() throws Exception {
    ReplyAssembler a = feed(new AnthropicAssembler(1 << 20), SseSamples.events("anthropic-tool-use.sse"));
    ObjectNode reply = a.reply();

    assertThat(a.finished()).isTrue();
    assertThat(a.streamError()).isNull();
    assertThat(reply.get("id").asText()).isEqualTo("msg_014p7gG3wDgGV9EUtLvnow3U");
    assertThat(reply.get("model").asText()).isEqualTo("claude-3-5-sonnet-20241022");
    assertThat(reply.get("role").asText()).isEqualTo("assistant");
    assertThat(reply.get("stop_reason").asText()).isEqualTo("tool_use");
    assertThat(reply.get("usage")).isEqualTo(json("{\"input_tokens\":472,\"output_tokens\":89}"));
    assertThat(reply.get("content")).isEqualTo(json("[{\"type\":\"text\",\"text\":\"Okay, let's check the pods in payments:\"},"
        + "{\"type\":\"tool_use\",\"id\":\"toolu_01T1x1fJ34qAmk2tNTrN7Up6\",\"name\":\"kubectl\","
        + "\"input\":{\"command\":\"kubectl get pods -n payments\",\"timeout\":30}}]"));
  }

  @Test
  void shouldAssembleAnthropicText() throws Exception {
    ObjectNode reply = feed(new AnthropicAssembler(1 << 20), SseSamples.events("anthropic-text.sse")).reply();

    assertThat(reply.get("content")).isEqualTo(json("[{\"type\":\"text\",\"text\":\"Hello! How can I help?\"}]"));
    assertThat(reply.get("stop_reason").asText()).isEqualTo("end_turn");
    assertThat(reply.get("usage").get("output_tokens").asInt()).isEqualTo(15);
  }

  @Test
  void shouldAssembleThinkingBlocksAndAnEmptyToolInput() throws Exception {
    ReplyAssembler a = feed(new AnthropicAssembler(1 << 20), List.of(
        new SseParser.Event("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"m\",\"content\":[]}}", 0),
        new SseParser.Event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,"
            + "\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\"}}", 1),
        new SseParser.Event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
            + "\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"Let me see.\"}}", 2),
        new SseParser.Event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
            + "\"delta\":{\"type\":\"signature_delta\",\"signature\":\"EqQB\"}}", 3),
        new SseParser.Event("content_block_start", "{\"type\":\"content_block_start\",\"index\":1,"
            + "\"content_block\":{\"type\":\"tool_use\",\"id\":\"t\",\"name\":\"now\",\"input\":{}}}", 4),
        new SseParser.Event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,"
            + "\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"\"}}", 5),
        new SseParser.Event("some_future_event", "{\"type\":\"some_future_event\"}", 6)));

    assertThat(a.reply().get("content")).isEqualTo(json("[{\"type\":\"thinking\",\"thinking\":\"Let me see.\","
        + "\"signature\":\"EqQB\"},{\"type\":\"tool_use\",\"id\":\"t\",\"name\":\"now\",\"input\":{}}]"));
    assertThat(a.finished()).isFalse();
  }

  @Test
  void shouldKeepACutToolInputAsTheTextReceived() throws Exception {
    List<SseParser.Event> events = SseSamples.events("anthropic-tool-use.sse").subList(0, 11);
    ObjectNode reply = feed(new AnthropicAssembler(1 << 20), events).reply();

    assertThat(reply.get("content").get(1).get("input").asText()).isEqualTo("{\"command\": \"kubectl get pods -n pay");
  }

  @Test
  void shouldReportAnAnthropicErrorEvent() throws Exception {
    ReplyAssembler a = feed(new AnthropicAssembler(100), List.of(new SseParser.Event("error",
        "{\"type\": \"error\", \"error\": {\"type\": \"overloaded_error\", \"message\": \"Overloaded\"}}", 0)));

    assertThat(a.streamError()).isEqualTo("overloaded_error: Overloaded");
    assertThat(a.finished()).isFalse();
  }

  @Test
  void shouldRefuseEventsThatAreNotJsonObjectsWithAType() {
    assertThatThrownBy(() -> new AnthropicAssembler(100).accept(new SseParser.Event("content_block_delta", "{\"type\":", 3)))
        .isInstanceOf(SseParser.MalformedException.class).hasMessage("event 3 (content_block_delta) is not a JSON object");
    assertThatThrownBy(() -> new AnthropicAssembler(100).accept(new SseParser.Event("x", "[1,2]", 0)))
        .isInstanceOf(SseParser.MalformedException.class);
    assertThatThrownBy(() -> new AnthropicAssembler(100).accept(new SseParser.Event("x", "{\"index\":0}", 0)))
        .isInstanceOf(SseParser.MalformedException.class).hasMessageContaining("has no type");
  }

  @Test
  void shouldBoundTheAssembledTextAndSaySo() throws Exception {
    ReplyAssembler a = feed(new AnthropicAssembler(10), SseSamples.events("anthropic-text.sse"));

    assertThat(a.reply().get("content").get(0).get("text").asText()).isEqualTo("Hello! How");
    assertThat(a.truncated()).isTrue();
  }

  @Test
  void shouldAssembleOpenAiToolCallsAsTheNonStreamingShape() throws Exception {
    ReplyAssembler a = feed(new OpenAiAssembler(1 << 20), SseSamples.events("openai-tool-calls.sse"));
    ObjectNode reply = a.reply();

    assertThat(a.finished()).isTrue();
    assertThat(reply.get("id").asText()).isEqualTo("chatcmpl-A1b2C3");
    assertThat(reply.get("object").asText()).isEqualTo("chat.completion");
    assertThat(reply.get("model").asText()).isEqualTo("gpt-4o-2024-08-06");
    assertThat(reply.get("usage").get("total_tokens").asInt()).isEqualTo(99);
    JsonNode choice = reply.get("choices").get(0);
    assertThat(choice.get("finish_reason").asText()).isEqualTo("tool_calls");
    assertThat(choice.get("message")).isEqualTo(json("{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{"
        + "\"id\":\"call_DdmO9pD3xa9XTPNJ32zg2hcA\",\"type\":\"function\",\"function\":{\"name\":\"kubectl\","
        + "\"arguments\":\"{\\\"command\\\":\\\"kubectl get pods -n payments\\\"}\"}}]}"));
    assertThat(json(choice.get("message").get("tool_calls").get(0).get("function").get("arguments").asText()))
        .isEqualTo(json("{\"command\":\"kubectl get pods -n payments\"}"));
  }

  @Test
  void shouldAssembleOpenAiText() throws Exception {
    ObjectNode reply = feed(new OpenAiAssembler(1 << 20), SseSamples.events("openai-text.sse")).reply();

    assertThat(reply.get("choices")).isEqualTo(json("[{\"index\":0,\"message\":{\"role\":\"assistant\","
        + "\"content\":\"Hello there!\"},\"finish_reason\":\"stop\"}]"));
  }

  @Test
  void shouldReportAnOpenAiErrorChunkAndRefuseNonJsonData() throws Exception {
    ReplyAssembler a = feed(new OpenAiAssembler(100), List.of(new SseParser.Event("message",
        "{\"error\":{\"message\":\"The server had an error\",\"type\":\"server_error\"}}", 0)));

    assertThat(a.streamError()).isEqualTo("server_error: The server had an error");
    assertThatThrownBy(() -> new OpenAiAssembler(100).accept(new SseParser.Event("message", "not json", 0)))
        .isInstanceOf(SseParser.MalformedException.class);
  }
}
