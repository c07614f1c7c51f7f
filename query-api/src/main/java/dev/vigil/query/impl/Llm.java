package dev.vigil.query.impl;

import java.util.ArrayList;
import java.util.List;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Reads LLM API bodies as recorded (masked): the prompt's last user message, the reply's text and its tool calls, in
 * the Anthropic Messages and OpenAI Chat Completions shapes. Anything else is shown as the raw body text.
 */
final class Llm {

  /** A tool call the model asked for. */
  record ToolUse(String name, String input) {}

  private Llm() {}

  /** The JSON object in {@code text}, or null if it is not one. */
  static JsonObject parseObject(String text) {
    if (text == null || text.isBlank() || text.strip().charAt(0) != '{') {
      return null;
    }
    try {
      return new JsonObject(text);
    } catch (DecodeException e) {
      return null; // not JSON (or cut by a body cap): shown as text
    }
  }

  static String model(JsonObject body) {
    return body == null ? null : body.getValue("model") instanceof String m ? m : null;
  }

  /** The text of the last {@code user} message, else null. */
  static String lastUserMessage(JsonObject body) {
    if (body == null || !(body.getValue("messages") instanceof JsonArray messages)) {
      return null;
    }
    for (int i = messages.size() - 1; i >= 0; i--) {
      if (messages.getValue(i) instanceof JsonObject m && "user".equals(m.getValue("role"))) {
        return text(m.getValue("content"));
      }
    }
    return null;
  }

  /** The reply's text: Anthropic {@code content[].text} or OpenAI {@code choices[0].message.content}. */
  static String replyText(JsonObject body) {
    if (body == null) {
      return null;
    }
    if (body.getValue("content") instanceof JsonArray) {
      return text(body.getValue("content"));
    }
    JsonObject message = openAiMessage(body);
    return message == null ? null : text(message.getValue("content"));
  }

  /** The tool calls in a reply: Anthropic {@code tool_use} blocks, OpenAI {@code tool_calls}. */
  static List<ToolUse> toolUses(JsonObject body) {
    List<ToolUse> out = new ArrayList<>();
    if (body == null) {
      return out;
    }
    if (body.getValue("content") instanceof JsonArray blocks) {
      for (Object b : blocks) {
        if (b instanceof JsonObject block && "tool_use".equals(block.getValue("type"))) {
          Object input = block.getValue("input");
          out.add(new ToolUse(String.valueOf(block.getValue("name")), input == null ? null : String.valueOf(input)));
        }
      }
    }
    JsonObject message = openAiMessage(body);
    if (message != null && message.getValue("tool_calls") instanceof JsonArray calls) {
      for (Object c : calls) {
        if (c instanceof JsonObject call && call.getValue("function") instanceof JsonObject fn) {
          out.add(new ToolUse(String.valueOf(fn.getValue("name")),
              fn.getValue("arguments") == null ? null : String.valueOf(fn.getValue("arguments"))));
        }
      }
    }
    return out;
  }

  private static JsonObject openAiMessage(JsonObject body) {
    if (body.getValue("choices") instanceof JsonArray choices && !choices.isEmpty()
        && choices.getValue(0) instanceof JsonObject choice && choice.getValue("message") instanceof JsonObject m) {
      return m;
    }
    return null;
  }

  /** A message content: a string, or the {@code text} of its text blocks joined by newlines. */
  private static String text(Object content) {
    if (content instanceof String s) {
      return s;
    }
    if (!(content instanceof JsonArray blocks)) {
      return null;
    }
    StringBuilder sb = new StringBuilder();
    for (Object b : blocks) {
      if (b instanceof JsonObject block && block.getValue("text") instanceof String t) {
        sb.append(sb.length() == 0 ? "" : "\n").append(t);
      }
    }
    return sb.length() == 0 ? null : sb.toString();
  }
}
