package dev.vigil.llmsim.impl;

import dev.vigil.llmsim.ModelRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Validates an OpenAI Chat Completions body and turns it into a {@link ModelRequest}: {@code system}/{@code
 * developer} messages become the system text, consecutive {@code tool} messages the tool results of one user turn.
 */
final class OpenAiRequests {

  private OpenAiRequests() {}

  static ModelRequest parse(JsonObject body) throws ApiException {
    try {
      String model = body.getString("model");
      if (model == null || model.isBlank()) {
        throw ApiException.invalid("you must provide a model parameter");
      }
      JsonArray messages = body.getJsonArray("messages");
      if (messages == null || messages.isEmpty()) {
        throw ApiException.invalid("Missing required parameter: 'messages'.");
      }
      Integer max = body.getInteger("max_completion_tokens", body.getInteger("max_tokens"));
      if (max != null && max < 1) {
        throw ApiException.invalid("Invalid 'max_tokens': integer below minimum value. Expected a value >= 1.");
      }
      StringBuilder system = new StringBuilder();
      List<ModelRequest.Turn> turns = new ArrayList<>();
      List<ModelRequest.ToolResult> pendingResults = new ArrayList<>();
      for (int i = 0; i < messages.size(); i++) {
        JsonObject m = messages.getJsonObject(i);
        String role = m == null ? null : m.getString("role");
        if (!"tool".equals(role) && !pendingResults.isEmpty()) {
          turns.add(new ModelRequest.Turn("user", "", List.of(), pendingResults));
          pendingResults = new ArrayList<>();
        }
        if ("system".equals(role) || "developer".equals(role)) {
          system.append(system.length() == 0 ? "" : "\n").append(AnthropicRequests.textOf(m.getValue("content")));
        } else if ("user".equals(role)) {
          turns.add(new ModelRequest.Turn("user", AnthropicRequests.textOf(m.getValue("content")), List.of(),
              List.of()));
        } else if ("assistant".equals(role)) {
          turns.add(new ModelRequest.Turn("assistant", AnthropicRequests.textOf(m.getValue("content")),
              toolCalls(m.getJsonArray("tool_calls")), List.of()));
        } else if ("tool".equals(role)) {
          pendingResults.add(new ModelRequest.ToolResult(m.getString("tool_call_id", ""),
              AnthropicRequests.textOf(m.getValue("content")), false));
        } else {
          throw ApiException.invalid("Invalid value for 'messages[" + i + "].role'.");
        }
      }
      if (!pendingResults.isEmpty()) {
        turns.add(new ModelRequest.Turn("user", "", List.of(), pendingResults));
      }
      return new ModelRequest(ModelRequest.Provider.OPENAI, model, body.getBoolean("stream", false), max == null ? 4096 : max,
          system.toString(), turns, toolNames(body.getJsonArray("tools")), body);
    } catch (ClassCastException e) {
      throw ApiException.invalid("Invalid request body: a parameter has the wrong type (" + e.getMessage() + ")");
    }
  }

  private static List<ModelRequest.ToolCall> toolCalls(JsonArray calls) {
    List<ModelRequest.ToolCall> out = new ArrayList<>();
    if (calls != null) {
      for (int i = 0; i < calls.size(); i++) {
        JsonObject call = calls.getJsonObject(i);
        JsonObject fn = call.getJsonObject("function", new JsonObject());
        out.add(new ModelRequest.ToolCall(call.getString("id", ""), fn.getString("name", ""), arguments(fn)));
      }
    }
    return out;
  }

  private static JsonObject arguments(JsonObject fn) {
    String args = fn.getString("arguments", "{}");
    try {
      return new JsonObject(args.isBlank() ? "{}" : args);
    } catch (DecodeException e) {
      return new JsonObject().put("arguments", args); // models may emit invalid JSON; the script sees the text
    }
  }

  private static List<String> toolNames(JsonArray tools) {
    List<String> names = new ArrayList<>();
    if (tools != null) {
      for (int i = 0; i < tools.size(); i++) {
        if (tools.getValue(i) instanceof JsonObject tool && tool.getJsonObject("function") != null) {
          names.add(tool.getJsonObject("function").getString("name", ""));
        }
      }
    }
    return names;
  }
}
