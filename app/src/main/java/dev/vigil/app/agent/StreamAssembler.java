package dev.vigil.app.agent;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Builds the assistant's content from Anthropic stream events: {@code content_block_start} opens a block,
 * {@code text_delta} / {@code input_json_delta} fill it, {@code content_block_stop} closes it (a tool's input JSON is
 * parsed then), {@code message_delta} gives the stop reason, {@code message_stop} ends; an {@code error} event or
 * an unparsable event ends it with an error, and so does a stream that stops before {@code message_stop}.
 */
final class StreamAssembler {

  private final Consumer<String> onText;
  private final List<JsonObject> blocks = new ArrayList<>();
  private final List<StringBuilder> buffers = new ArrayList<>();
  private String stopReason;
  private boolean stopped;
  private String errorType;
  private String error;

  StreamAssembler(Consumer<String> onText) {
    this.onText = onText;
  }

  /** Takes one event's data; false when the stream is over (stopped or failed). */
  boolean accept(String data) {
    JsonObject event;
    try {
      event = new JsonObject(data);
    } catch (DecodeException e) {
      return fail("malformed-stream", "the stream carried an event that is not JSON");
    }
    switch (event.getString("type", "")) {
      case "content_block_start":
        blocks.add(event.getJsonObject("content_block").copy());
        buffers.add(new StringBuilder());
        return true;
      case "content_block_delta":
        return delta(event.getInteger("index", -1), event.getJsonObject("delta", new JsonObject()));
      case "content_block_stop":
        return close(event.getInteger("index", -1));
      case "message_delta":
        stopReason = event.getJsonObject("delta", new JsonObject()).getString("stop_reason");
        return true;
      case "message_stop":
        stopped = true;
        return false;
      case "error":
        JsonObject e = event.getJsonObject("error", new JsonObject());
        return fail(e.getString("type", "error"), e.getString("message", "error event"));
      default:
        return true; // message_start, ping
    }
  }

  private boolean delta(int index, JsonObject delta) {
    if (index < 0 || index >= blocks.size()) {
      return fail("malformed-stream", "a delta for a block that was never started");
    }
    if ("text_delta".equals(delta.getString("type"))) {
      String text = delta.getString("text", "");
      buffers.get(index).append(text);
      onText.accept(text);
    } else if ("input_json_delta".equals(delta.getString("type"))) {
      buffers.get(index).append(delta.getString("partial_json", ""));
    }
    return true;
  }

  private boolean close(int index) {
    if (index < 0 || index >= blocks.size()) {
      return fail("malformed-stream", "a stop for a block that was never started");
    }
    JsonObject block = blocks.get(index);
    String buffered = buffers.get(index).toString();
    if ("text".equals(block.getString("type"))) {
      block.put("text", buffered);
    } else if ("tool_use".equals(block.getString("type"))) {
      try {
        block.put("input", buffered.isBlank() ? new JsonObject() : new JsonObject(buffered));
      } catch (DecodeException e) {
        return fail("malformed-stream", "a tool_use input that is not a JSON object");
      }
    }
    return true;
  }

  private boolean fail(String type, String message) {
    errorType = type;
    error = message;
    return false;
  }

  /** The reply when the transport failed before the stream ended. */
  MessagesClient.Reply broken(String message) {
    if (error == null) {
      fail("stream-ended", message);
    }
    return reply();
  }

  MessagesClient.Reply reply() {
    if (error == null && !stopped) {
      fail("stream-ended", "the stream ended before message_stop");
    }
    return new MessagesClient.Reply(200, new JsonArray(new ArrayList<>(blocks)), stopReason, errorType, error, null);
  }
}
