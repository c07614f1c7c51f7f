package dev.vigil.llmsim;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Objects;

/**
 * A chat request as the scripted model sees it, the same for both providers: the system text, the conversation as
 * {@link Turn}s (OpenAI {@code tool} messages become the tool results of a user turn, as in Anthropic's API), the
 * names of the tools offered, and the raw request body for anything else.
 *
 * @param provider  the API the request came in through
 * @param model     the requested model name (any name is accepted; {@code fault-*} names select fault modes)
 * @param stream    whether the caller asked for SSE
 * @param maxTokens the caller's output limit ({@code max_tokens}; OpenAI may omit it: then 4096)
 * @param system    the system prompt text ("" when none)
 * @param turns     the messages, oldest first
 * @param toolNames the names of the tools the caller offers
 * @param body      the request body as received
 */
public record ModelRequest(Provider provider, String model, boolean stream, int maxTokens, String system,
    List<Turn> turns, List<String> toolNames, JsonObject body) {

  public ModelRequest {
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(model, "model");
    system = system == null ? "" : system;
    turns = List.copyOf(turns);
    toolNames = List.copyOf(toolNames);
    Objects.requireNonNull(body, "body");
  }

  /** The API dialect a request arrived in; the scripted model answers both the same way. */
  public enum Provider {
    /** Anthropic Messages API ({@code /v1/messages}, {@code x-api-key}). */
    ANTHROPIC,
    /** OpenAI Chat Completions API ({@code /v1/chat/completions}, {@code Authorization: Bearer}). */
    OPENAI
  }

  /** One message: {@code role} is {@code user} or {@code assistant}. */
  public record Turn(String role, String text, List<ToolCall> toolCalls, List<ToolResult> toolResults) {
    public Turn {
      Objects.requireNonNull(role, "role");
      text = text == null ? "" : text;
      toolCalls = List.copyOf(toolCalls);
      toolResults = List.copyOf(toolResults);
    }

    public boolean isUser() {
      return role.equals("user");
    }
  }

  /** A tool call the assistant made earlier in the conversation. */
  public record ToolCall(String id, String name, JsonObject input) {}

  /** The caller's answer to a tool call: the tool's output as text. */
  public record ToolResult(String toolUseId, String content, boolean isError) {}

  /** The last turn, or null for an empty conversation. */
  public Turn lastTurn() {
    return turns.isEmpty() ? null : turns.get(turns.size() - 1);
  }

  /** The text of the last turn when it is the user's, else "". */
  public String lastUserText() {
    Turn last = lastTurn();
    return last != null && last.isUser() ? last.text() : "";
  }

  /** The tool results the last (user) turn carries: non-empty when the caller is answering tool calls. */
  public List<ToolResult> toolResults() {
    Turn last = lastTurn();
    return last != null && last.isUser() ? last.toolResults() : List.of();
  }

  /** The earlier assistant tool call with this id, or null. */
  public ToolCall toolCall(String id) {
    for (int i = turns.size() - 1; i >= 0; i--) {
      for (ToolCall call : turns.get(i).toolCalls()) {
        if (call.id().equals(id)) {
          return call;
        }
      }
    }
    return null;
  }

  /** Whether the caller offers a tool with exactly this name. */
  public boolean offersTool(String name) {
    return toolNames.contains(name);
  }
}
