package dev.vigil.llmsim.impl;

import dev.vigil.llmsim.ModelReply;
import dev.vigil.llmsim.ModelRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;

/**
 * A reply ready to render in either API: ids assigned, tokens counted, cut to the caller's {@code max_tokens}.
 *
 * @param toolIds one entry per block: the tool-use id, or null for a text block
 */
record Completion(String id, String model, List<ModelReply.Block> blocks, List<String> toolIds, Stop stop,
    int inputTokens, int outputTokens) {

  /** Why the reply ended. */
  enum Stop {
    END_TURN("end_turn", "stop"),
    TOOL_USE("tool_use", "tool_calls"),
    MAX_TOKENS("max_tokens", "length");

    final String anthropic;
    final String openAi;

    Stop(String anthropic, String openAi) {
      this.anthropic = anthropic;
      this.openAi = openAi;
    }
  }

  static Completion of(ModelRequest request, ModelReply reply, String id, Supplier<String> toolIds) {
    int budget = request.maxTokens();
    List<ModelReply.Block> blocks = new ArrayList<>();
    List<String> blockIds = new ArrayList<>();
    int used = 0;
    boolean cut = false;
    for (ModelReply.Block block : reply.blocks()) {
      int cost = Tokens.output(block);
      if (used + cost <= budget) {
        blocks.add(block);
        blockIds.add(block instanceof ModelReply.ToolUse ? toolIds.get() : null);
        used += cost;
        continue;
      }
      cut = true;
      if (block instanceof ModelReply.Text t && budget - used > 0) {
        String part = clip(t.text(), (budget - used) * 4);
        blocks.add(new ModelReply.Text(part));
        blockIds.add(null);
        used += Tokens.text(part);
      }
      break;
    }
    if (blocks.isEmpty()) {
      blocks.add(new ModelReply.Text(""));
      blockIds.add(null);
    }
    boolean toolUse = blocks.stream().anyMatch(b -> b instanceof ModelReply.ToolUse);
    Stop stop = cut ? Stop.MAX_TOKENS : toolUse ? Stop.TOOL_USE : Stop.END_TURN;
    return new Completion(id, request.model(), List.copyOf(blocks), Collections.unmodifiableList(blockIds),
        stop, Tokens.input(request), Math.max(1, used));
  }

  private static String clip(String text, int maxChars) {
    if (text.length() <= maxChars) {
      return text;
    }
    int end = maxChars;
    if (Character.isHighSurrogate(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(0, end);
  }

  /** All text blocks joined (OpenAI has one content string). */
  String text() {
    StringBuilder sb = new StringBuilder();
    for (ModelReply.Block b : blocks) {
      if (b instanceof ModelReply.Text t) {
        sb.append(sb.length() == 0 ? "" : "\n\n").append(t.text());
      }
    }
    return sb.toString();
  }

  boolean hasText() {
    return blocks.stream().anyMatch(b -> b instanceof ModelReply.Text t && !t.text().isEmpty());
  }
}
