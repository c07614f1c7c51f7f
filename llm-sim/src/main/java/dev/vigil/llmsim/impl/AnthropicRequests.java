package dev.vigil.llmsim.impl;

import dev.vigil.llmsim.ModelRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** Validates an Anthropic Messages (or count_tokens) body and turns it into a {@link ModelRequest}. */
final class AnthropicRequests {

  private AnthropicRequests() {}

  static ModelRequest parse(JsonObject body, boolean countTokens) throws ApiException {
    try {
      String model = body.getString("model");
      if (model == null || model.isBlank()) {
        throw ApiException.invalid("model: Field required");
      }
      Integer maxTokens = body.getInteger("max_tokens");
      if (!countTokens && maxTokens == null) {
        throw ApiException.invalid("max_tokens: Field required");
      }
      if (maxTokens != null && maxTokens < 1) {
        throw ApiException.invalid("max_tokens: Input should be greater than or equal to 1");
      }
      JsonArray messages = body.getJsonArray("messages");
      if (messages == null) {
        throw ApiException.invalid("messages: Field required");
      }
      if (messages.isEmpty()) {
        throw ApiException.invalid("messages: at least one message is required");
      }
      List<ModelRequest.Turn> turns = new ArrayList<>();
      for (int i = 0; i < messages.size(); i++) {
        turns.add(turn(messages.getJsonObject(i), i));
      }
      return new ModelRequest(ModelRequest.Provider.ANTHROPIC, model, !countTokens && body.getBoolean("stream", false),
          maxTokens == null ? 4096 : maxTokens, system(body.getValue("system")), turns, toolNames(body), body);
    } catch (ClassCastException e) {
      throw ApiException.invalid("invalid request body: a field has the wrong type (" + e.getMessage() + ")");
    }
  }

  private static ModelRequest.Turn turn(JsonObject message, int index) throws ApiException {
    if (message == null) {
      throw ApiException.invalid("messages." + index + ": Input should be an object");
    }
    String role = message.getString("role");
    if (!"user".equals(role) && !"assistant".equals(role)) {
      throw ApiException.invalid("messages." + index + ".role: Input should be 'user' or 'assistant'");
    }
    Object content = message.getValue("content");
    if (content instanceof String s) {
      return new ModelRequest.Turn(role, s, List.of(), List.of());
    }
    if (!(content instanceof JsonArray blocks)) {
      throw ApiException.invalid("messages." + index + ".content: Field required");
    }
    StringBuilder text = new StringBuilder();
    List<ModelRequest.ToolCall> calls = new ArrayList<>();
    List<ModelRequest.ToolResult> results = new ArrayList<>();
    for (int j = 0; j < blocks.size(); j++) {
      JsonObject block = blocks.getJsonObject(j);
      switch (block.getString("type", "")) {
        case "text":
          text.append(text.length() == 0 ? "" : "\n").append(block.getString("text", ""));
          break;
        case "tool_use":
          calls.add(new ModelRequest.ToolCall(block.getString("id", ""), block.getString("name", ""),
              block.getJsonObject("input", new JsonObject())));
          break;
        case "tool_result":
          results.add(new ModelRequest.ToolResult(block.getString("tool_use_id", ""),
              textOf(block.getValue("content")), block.getBoolean("is_error", false)));
          break;
        default:
          break; // images, documents, thinking: the script does not look at them
      }
    }
    return new ModelRequest.Turn(role, text.toString(), calls, results);
  }

  /** A string, or the text blocks of an array of blocks. */
  static String textOf(Object content) {
    if (content instanceof String s) {
      return s;
    }
    StringBuilder sb = new StringBuilder();
    if (content instanceof JsonArray parts) {
      for (int i = 0; i < parts.size(); i++) {
        if (parts.getValue(i) instanceof JsonObject part && "text".equals(part.getString("type"))) {
          sb.append(sb.length() == 0 ? "" : "\n").append(part.getString("text", ""));
        }
      }
    }
    return sb.toString();
  }

  private static String system(Object system) throws ApiException {
    if (system == null || system instanceof String || system instanceof JsonArray) {
      return textOf(system);
    }
    throw ApiException.invalid("system: Input should be a valid string or a list of text blocks");
  }

  private static List<String> toolNames(JsonObject body) {
    List<String> names = new ArrayList<>();
    JsonArray tools = body.getJsonArray("tools");
    if (tools != null) {
      for (int i = 0; i < tools.size(); i++) {
        if (tools.getValue(i) instanceof JsonObject tool && tool.getString("name") != null) {
          names.add(tool.getString("name"));
        }
      }
    }
    return names;
  }
}
