package dev.vigil.llmsim.impl;

import dev.vigil.llmsim.ModelReply;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders a {@link Completion} as the Anthropic Messages API does: one {@code message} object, or the SSE event
 * sequence {@code message_start}, per block {@code content_block_start} / {@code content_block_delta}… /
 * {@code content_block_stop} (a {@code ping} after the first start), {@code message_delta}, {@code message_stop}.
 */
final class AnthropicReplies {

  private AnthropicReplies() {}

  static JsonObject message(Completion c) {
    JsonArray content = new JsonArray();
    for (int i = 0; i < c.blocks().size(); i++) {
      content.add(block(c, i, true));
    }
    return new JsonObject()
        .put("id", c.id())
        .put("type", "message")
        .put("role", "assistant")
        .put("model", c.model())
        .put("content", content)
        .put("stop_reason", c.stop().anthropic)
        .put("stop_sequence", null)
        .put("usage", usage(c.inputTokens(), c.outputTokens()).put("service_tier", "standard"));
  }

  static List<SseFrame> events(Completion c) {
    List<SseFrame> out = new ArrayList<>();
    JsonObject start = message(c).put("content", new JsonArray()).put("stop_reason", null);
    start.put("usage", usage(c.inputTokens(), 1).put("service_tier", "standard"));
    out.add(event(new JsonObject().put("type", "message_start").put("message", start)));
    for (int i = 0; i < c.blocks().size(); i++) {
      out.add(event(new JsonObject().put("type", "content_block_start").put("index", i)
          .put("content_block", block(c, i, false))));
      if (i == 0) {
        out.add(event(new JsonObject().put("type", "ping")));
      }
      if (c.blocks().get(i) instanceof ModelReply.Text t) {
        for (String piece : Chunks.text(t.text())) {
          out.add(delta(i, new JsonObject().put("type", "text_delta").put("text", piece)));
        }
      } else {
        ModelReply.ToolUse use = (ModelReply.ToolUse) c.blocks().get(i);
        out.add(delta(i, new JsonObject().put("type", "input_json_delta").put("partial_json", "")));
        for (String piece : Chunks.json(use.input().encode())) {
          out.add(delta(i, new JsonObject().put("type", "input_json_delta").put("partial_json", piece)));
        }
      }
      out.add(event(new JsonObject().put("type", "content_block_stop").put("index", i)));
    }
    out.add(event(new JsonObject().put("type", "message_delta")
        .put("delta", new JsonObject().put("stop_reason", c.stop().anthropic).put("stop_sequence", null))
        .put("usage", usage(c.inputTokens(), c.outputTokens()))));
    out.add(event(new JsonObject().put("type", "message_stop")));
    return out;
  }

  /** A content block: complete ({@code message}) or as it starts in a stream (empty text, empty input). */
  private static JsonObject block(Completion c, int i, boolean complete) {
    ModelReply.Block b = c.blocks().get(i);
    if (b instanceof ModelReply.Text t) {
      return new JsonObject().put("type", "text").put("text", complete ? t.text() : "");
    }
    ModelReply.ToolUse use = (ModelReply.ToolUse) b;
    return new JsonObject().put("type", "tool_use").put("id", c.toolIds().get(i)).put("name", use.name())
        .put("input", complete ? use.input().copy() : new JsonObject());
  }

  static JsonObject usage(int input, int output) {
    return new JsonObject().put("input_tokens", input).put("cache_creation_input_tokens", 0)
        .put("cache_read_input_tokens", 0).put("output_tokens", output);
  }

  static JsonObject countTokens(int input) {
    return new JsonObject().put("input_tokens", input);
  }

  static JsonObject error(String type, String message, String requestId) {
    return new JsonObject().put("type", "error")
        .put("error", new JsonObject().put("type", type).put("message", message))
        .put("request_id", requestId);
  }

  private static SseFrame delta(int index, JsonObject delta) {
    return event(new JsonObject().put("type", "content_block_delta").put("index", index).put("delta", delta));
  }

  private static SseFrame event(JsonObject data) {
    return SseFrame.event(data.getString("type"), data);
  }
}
