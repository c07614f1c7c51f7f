package dev.vigil.llmsim;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Objects;

/**
 * What the scripted model answers: text and tool-use blocks, in order. The simulator assigns the ids, counts the
 * tokens, derives the stop reason ({@code tool_use} when there is a tool call, else {@code end_turn}; {@code
 * max_tokens} when the caller's limit cuts the reply) and renders it in the caller's API format.
 */
public record ModelReply(List<Block> blocks) {

  public ModelReply {
    blocks = List.copyOf(blocks);
    if (blocks.isEmpty()) {
      throw new IllegalArgumentException("a reply needs at least one block");
    }
  }

  /** A content block of the reply. */
  public sealed interface Block permits Text, ToolUse {}

  /** Assistant text. */
  public record Text(String text) implements Block {
    public Text {
      Objects.requireNonNull(text, "text");
    }
  }

  /** A call of the caller's tool {@code name} with a JSON object input. */
  public record ToolUse(String name, JsonObject input) implements Block {
    public ToolUse {
      Objects.requireNonNull(name, "name");
      input = input == null ? new JsonObject() : input.copy();
    }
  }

  public static ModelReply of(Block... blocks) {
    return new ModelReply(List.of(blocks));
  }

  /** A text-only reply. */
  public static ModelReply text(String text) {
    return of(new Text(text));
  }

  /** A reply that is only a tool call. */
  public static ModelReply toolUse(String name, JsonObject input) {
    return of(new ToolUse(name, input));
  }

  /** Some text, then a tool call (what Claude usually sends). */
  public static ModelReply textThenToolUse(String text, String name, JsonObject input) {
    return of(new Text(text), new ToolUse(name, input));
  }

  public boolean hasToolUse() {
    return blocks.stream().anyMatch(b -> b instanceof ToolUse);
  }
}
