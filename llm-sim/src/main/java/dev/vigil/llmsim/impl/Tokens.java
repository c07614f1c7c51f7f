package dev.vigil.llmsim.impl;

import dev.vigil.llmsim.ModelReply;
import dev.vigil.llmsim.ModelRequest;
import io.vertx.core.json.JsonArray;

/**
 * Token counts, estimated the usual way for English text and JSON: about four characters per token, plus a small
 * overhead per message and for offered tools (the real APIs add a tool-use system prompt). Deterministic, and the
 * same figure for {@code count_tokens} as for the {@code usage} of a Messages call with the same input.
 */
final class Tokens {

  static final int BASE = 3;
  static final int PER_MESSAGE = 4;
  static final int TOOLS_OVERHEAD = 290;
  static final int PER_TOOL_USE = 12;

  private Tokens() {}

  static int text(String s) {
    if (s == null || s.isEmpty()) {
      return 0;
    }
    return Math.max(1, (s.codePointCount(0, s.length()) + 3) / 4);
  }

  static int input(ModelRequest request) {
    int n = BASE + text(request.system());
    for (ModelRequest.Turn turn : request.turns()) {
      n += PER_MESSAGE + text(turn.text());
      for (ModelRequest.ToolCall call : turn.toolCalls()) {
        n += text(call.name()) + text(call.input().encode());
      }
      for (ModelRequest.ToolResult result : turn.toolResults()) {
        n += PER_MESSAGE + text(result.content());
      }
    }
    JsonArray tools = request.body().getJsonArray("tools");
    if (tools != null && !tools.isEmpty()) {
      n += TOOLS_OVERHEAD + text(tools.encode());
    }
    return n;
  }

  static int output(ModelReply.Block block) {
    if (block instanceof ModelReply.Text t) {
      return text(t.text());
    }
    ModelReply.ToolUse use = (ModelReply.ToolUse) block;
    return PER_TOOL_USE + text(use.name()) + text(use.input().encode());
  }
}
